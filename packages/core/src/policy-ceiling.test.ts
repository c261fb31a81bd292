import { describe, expect, it } from 'vitest';
import { type PermissionVerdict, strictestVerdict } from './permission-policy.js';

const v = (decision: PermissionVerdict['decision'], rule: string): PermissionVerdict => ({ decision, rule });

describe('server rules are a ceiling over session rules', () => {
  it.each([
    [v('deny', 'srv'), v('allow', 'own'), 'srv', 'server'],
    [v('ask', 'srv'), v('allow', 'own'), 'srv', 'server'],
    [v('allow', 'srv'), v('deny', 'own'), 'own', 'session'],
    [v('allow', 'srv'), v('ask', 'own'), 'own', 'session'],
    [v('deny', 'srv'), v('deny', 'own'), 'srv', 'server'],
    [v('allow', 'srv'), v('allow', 'own'), 'own', 'session'],
    [undefined, v('allow', 'own'), 'own', 'session'],
    [v('deny', 'srv'), undefined, 'srv', 'server'],
  ])('server %o and session %o: %s decides (%s)', (server, session, rule, source) => {
    expect(strictestVerdict(server, session)).toEqual({ verdict: expect.objectContaining({ rule }), source });
  });

  it('no verdict when neither has one', () => {
    expect(strictestVerdict(undefined, undefined)).toBeUndefined();
  });
});
