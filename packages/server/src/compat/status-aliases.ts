import { SessionStatus, TERMINAL_STATUSES } from '@aegis/core';

/**
 * State names of the earlier Aegis documents, as `?status=` filters: each maps to states of ours.
 * `active` is every state of a session that has not ended.
 */
export const DOCUMENTED_STATUS_ALIASES: Readonly<Record<string, readonly SessionStatus[]>> = Object.freeze({
  active: SessionStatus.options.filter((s) => !TERMINAL_STATUSES.has(s)),
  ask_question: ['asking'],
  bash_approval: ['permission_prompt'],
  plan_mode: ['permission_prompt'],
});

/** Documented names with no state of ours to map to, and why (the 400 says it). */
export const STATUS_WITHOUT_EQUIVALENT: Readonly<Record<string, string>> = Object.freeze({
  unknown:
    'this server always knows a session\'s state (the agent\'s protocol drives it; nothing is read off a terminal), so no session is ever "unknown"; filter on error or crashed instead',
});
