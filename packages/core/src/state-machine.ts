import { AegisError } from './errors.js';
import type { EventBody, EventType } from './events.js';
import type { SessionStatus } from './schemas.js';

type Rule = SessionStatus | ((event: EventBody) => SessionStatus);
type Table = Record<SessionStatus, Partial<Record<EventType, Rule>>>;

/** Events that never change the state, legal in every live state. */
const NEUTRAL: readonly EventType[] = [
  'session.created',
  'session.state_changed',
  'session.info_updated',
  'usage.updated',
  'commands.updated',
  'mode.changed',
  'message.completed',
  // A question answered after its turn ended (cancelled with the turn) changes nothing.
  'question.answered',
  'prompts.dropped',
  'agent.evicted',
  'agent.resumed',
  'session.adopted',
  'budget.warning',
  'budget.exceeded',
  'budget.updated',
];

/** Agent activity: keeps a turn going, wakes a stalled one. */
const ACTIVITY: readonly EventType[] = [
  'message.delta',
  'thought.delta',
  'tool.started',
  'tool.updated',
  'tool.completed',
  'plan.updated',
];

const ended: Rule = (e) => (e.type === 'session.ended' ? e.data.status : 'crashed');
const failed: Rule = (e) => (e.type === 'turn.failed' && e.data.rateLimited ? 'rate_limit' : 'error');

function row(self: SessionStatus, activityTo: SessionStatus, rules: Partial<Record<EventType, Rule>>) {
  const out: Partial<Record<EventType, Rule>> = {};
  for (const t of NEUTRAL) out[t] = self;
  for (const t of ACTIVITY) out[t] = activityTo;
  out['session.ended'] = ended;
  return { ...out, ...rules };
}

/**
 * The transition table: for each state, which events are legal and where they lead.
 * Anything not listed is an illegal transition.
 */
export const TRANSITIONS: Readonly<Table> = Object.freeze({
  // `agent.evicted` in `pending`: a restart found a session whose agent never got ready; it waits
  // dormant for its first prompt.
  pending: row('pending', 'pending', { 'agent.ready': 'idle', 'agent.evicted': 'idle' }),
  // `agent.ready` outside `pending`: the agent's session was reopened in a new process after a
  // server restart (the interrupted turn was recorded as failed first).
  idle: row('idle', 'idle', {
    'turn.started': 'working',
    'permission.requested': 'permission_prompt',
    'agent.ready': 'idle',
  }),
  working: row('working', 'working', {
    'permission.requested': 'permission_prompt',
    'turn.completed': 'idle',
    'turn.failed': failed,
    'turn.stalled': 'stalled',
    'question.asked': 'asking',
  }),
  permission_prompt: row('permission_prompt', 'permission_prompt', {
    'permission.resolved': 'working',
    'turn.completed': 'idle',
    'turn.failed': failed,
  }),
  asking: row('asking', 'asking', {
    'question.answered': 'working',
    'turn.completed': 'idle',
    'turn.failed': failed,
  }),
  stalled: row('stalled', 'working', {
    'permission.requested': 'permission_prompt',
    'turn.completed': 'idle',
    'turn.failed': failed,
    'turn.stalled': 'stalled',
    'question.asked': 'asking',
  }),
  rate_limit: row('rate_limit', 'rate_limit', { 'turn.started': 'working', 'agent.ready': 'rate_limit' }),
  error: row('error', 'error', {
    'turn.started': 'working',
    'permission.requested': 'permission_prompt',
    'agent.ready': 'idle',
  }),
  completed: {},
  killed: {},
  crashed: {},
});

/** Whether `event` is legal in `status`. */
export function canApply(status: SessionStatus, type: EventType): boolean {
  return TRANSITIONS[status][type] !== undefined;
}

/**
 * The pure reducer: the state after `event`. Throws `INVALID_TRANSITION` for an illegal event,
 * never silently ignores it.
 */
export function reduceStatus(status: SessionStatus, event: EventBody): SessionStatus {
  const rule = TRANSITIONS[status][event.type];
  if (rule === undefined) throw AegisError.invalidTransition(status, event.type);
  return typeof rule === 'function' ? rule(event) : rule;
}
