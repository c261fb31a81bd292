import { AegisError } from './errors.js';
import type { PermissionOption, PermissionOptionKind } from './schemas.js';

export interface PermissionAnswer {
  approve: boolean;
  /** An explicit option id; must be one the agent offered, of the kind `approve` says (allow_* or reject_*). */
  optionId?: string | undefined;
  /** `always` picks the agent's allow_always / reject_always option. */
  scope?: 'once' | 'always' | undefined;
}

/**
 * Which kinds answer each request, best first. Approving once never falls back to allow_always
 * (that would grant more than was asked); rejecting may fall back either way, since both refuse.
 */
const PREFERENCE: Record<string, PermissionOptionKind[]> = {
  'approve:once': ['allow_once'],
  'approve:always': ['allow_always'],
  'reject:once': ['reject_once', 'reject_always'],
  'reject:always': ['reject_always', 'reject_once'],
};

/** Picks the offered option for an answer, by kind — never by a hard-coded id. */
export function chooseOption(options: PermissionOption[], answer: PermissionAnswer): PermissionOption {
  if (answer.optionId !== undefined) {
    const found = options.find((o) => o.optionId === answer.optionId);
    if (!found) {
      throw AegisError.validation(
        `optionId ${answer.optionId} is not one of the offered options (${options.map((o) => o.optionId).join(', ')}).`,
        { offered: options },
      );
    }
    // The route decides the direction: /reject with an allow option granted allow-always.
    const allows = found.kind === 'allow_once' || found.kind === 'allow_always';
    if (allows !== answer.approve) {
      const fitting = options.filter((o) => o.kind.startsWith(answer.approve ? 'allow_' : 'reject_'));
      throw AegisError.validation(
        `optionId ${answer.optionId} is ${allows ? 'an allow' : 'a reject'} option (${found.kind}), so it cannot ${answer.approve ? 'approve' : 'reject'}; ${answer.approve ? 'approve' : 'reject'} with one of: ${fitting.map((o) => o.optionId).join(', ') || 'none offered'}, or use ${allows ? 'approve' : 'reject'} instead.`,
        { offered: options },
      );
    }
    return found;
  }
  const key = `${answer.approve ? 'approve' : 'reject'}:${answer.scope ?? 'once'}`;
  for (const kind of PREFERENCE[key] ?? []) {
    const found = options.find((o) => o.kind === kind);
    if (found) return found;
  }
  throw AegisError.validation(
    `The agent offered no option to ${answer.approve ? 'approve' : 'reject'}${answer.scope === 'always' ? ' always' : ''}; offered kinds: ${options.map((o) => o.kind).join(', ')}.`,
    { offered: options },
  );
}
