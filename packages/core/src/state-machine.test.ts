import { describe, expect, it } from 'vitest';
import type { EventBody } from './events.js';
import { reduceStatus, TRANSITIONS } from './state-machine.js';

const ev = (type: string, data: unknown = {}) => ({ type, data }) as EventBody;

describe('state machine', () => {
  it.each([
    ['pending', ev('agent.ready'), 'idle'],
    ['idle', ev('turn.started'), 'working'],
    ['working', ev('permission.requested'), 'permission_prompt'],
    ['permission_prompt', ev('permission.resolved'), 'working'],
    ['working', ev('turn.stalled'), 'stalled'],
    ['stalled', ev('message.delta'), 'working'],
    ['working', ev('turn.completed'), 'idle'],
    ['working', ev('turn.failed', { rateLimited: true }), 'rate_limit'],
    ['working', ev('turn.failed', { rateLimited: false }), 'error'],
    ['error', ev('turn.started'), 'working'],
    ['error', ev('agent.ready'), 'idle'],
    ['idle', ev('agent.ready'), 'idle'],
    ['idle', ev('session.ended', { status: 'killed' }), 'killed'],
    ['working', ev('session.ended', { status: 'crashed' }), 'crashed'],
  ] as const)('%s + %s → %s', (from, event, to) => {
    expect(reduceStatus(from, event)).toBe(to);
  });

  it.each([
    ['idle', 'turn.completed'],
    ['pending', 'turn.started'],
    ['working', 'agent.ready'],
    ['killed', 'turn.started'],
    ['crashed', 'session.ended'],
  ] as const)('rejects %s + %s', (from, type) => {
    expect(() => reduceStatus(from, ev(type))).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });

  it('has no way out of a terminal state', () => {
    for (const s of ['completed', 'killed', 'crashed'] as const)
      expect(Object.keys(TRANSITIONS[s])).toEqual([]);
  });
});
