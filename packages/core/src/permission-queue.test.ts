import { describe, expect, it } from 'vitest';
import { chooseOption } from './permission-queue.js';
import type { PermissionOption } from './schemas.js';

const offered = (...kinds: PermissionOption['kind'][]): PermissionOption[] =>
  kinds.map((kind, i) => ({ optionId: `o${i}`, name: kind, kind }));

describe('chooseOption', () => {
  it.each([
    [{ approve: true }, offered('allow_once', 'allow_always', 'reject_once'), 'allow_once'],
    [{ approve: true, scope: 'always' as const }, offered('allow_once', 'allow_always'), 'allow_always'],
    [{ approve: false }, offered('allow_once', 'reject_once', 'reject_always'), 'reject_once'],
    [{ approve: false, scope: 'always' as const }, offered('reject_once', 'reject_always'), 'reject_always'],
    // Refusing falls back either way: both refuse.
    [{ approve: false }, offered('allow_once', 'reject_always'), 'reject_always'],
    [{ approve: false, scope: 'always' as const }, offered('allow_once', 'reject_once'), 'reject_once'],
  ])('%o from %o picks %s', (answer, options, kind) => {
    expect(chooseOption(options, answer).kind).toBe(kind);
  });

  it('approving once never falls back to allow_always (that would grant more than asked)', () => {
    expect(() => chooseOption(offered('allow_always', 'reject_once'), { approve: true })).toThrow(
      /offered no option to approve; offered kinds: allow_always, reject_once/,
    );
  });

  it('approving always never falls back to allow_once', () => {
    expect(() =>
      chooseOption(offered('allow_once', 'reject_once'), { approve: true, scope: 'always' }),
    ).toThrow(/approve always/);
  });

  it('an explicit optionId must be one the agent offered', () => {
    expect(chooseOption(offered('allow_once'), { approve: true, optionId: 'o0' }).optionId).toBe('o0');
    expect(() => chooseOption(offered('allow_once'), { approve: true, optionId: 'nope' })).toThrow(
      /optionId nope is not one of the offered options \(o0\)/,
    );
  });

  // Attack (issue 22 #14): POST /reject {"optionId":"allow-with-updates"} granted allow-always.
  it.each([
    [
      false,
      'o0',
      /optionId o0 is an allow option \(allow_once\), so it cannot reject; reject with one of: o2, o3/,
    ],
    [false, 'o1', /an allow option \(allow_always\), so it cannot reject/],
    [
      true,
      'o2',
      /optionId o2 is a reject option \(reject_once\), so it cannot approve; approve with one of: o0, o1/,
    ],
  ])('approve=%s refuses the optionId %s of the other direction', (approve, optionId, message) => {
    const options = offered('allow_once', 'allow_always', 'reject_once', 'reject_always');
    expect(() => chooseOption(options, { approve, optionId })).toThrow(message);
  });
});
