import { z } from 'zod';
import { isTerminal, type Session, SessionStatus } from './schemas.js';

/** What can be done with a session next; each name is the last path segment of its operation. */
export const SessionAction = z
  .enum(['send', 'interrupt', 'approve', 'reject', 'answer', 'escape', 'mode', 'kill'])
  .describe(
    'send → POST …/send, interrupt → POST …/interrupt, approve/reject → POST …/approve|reject, answer → POST …/answer, escape → POST …/escape, mode → POST …/mode, kill → DELETE /v1/sessions/{id}',
  )
  .meta({ id: 'SessionAction' });
export type SessionAction = z.infer<typeof SessionAction>;

export const SessionHealth = z
  .object({
    sessionId: z.string(),
    status: SessionStatus,
    alive: z.boolean().describe('The agent process is up'),
    healthy: z.boolean().describe('Alive and not stuck, failed or waiting on nobody'),
    lastActivityAt: z.string(),
    idleMs: z.number().nullable().describe('Since the last recorded event, while the agent is up'),
    stalledMs: z.number().nullable().describe('How long a stalled turn has been silent'),
    pendingPermission: z.boolean(),
    pendingQuestion: z.boolean(),
    queuedPrompts: z.number().int(),
    problem: z.union([z.object({ code: z.string(), message: z.string() }).passthrough(), z.null()]),
    actions: z
      .array(SessionAction)
      .describe('Operations that make sense in this state; over HTTP, only those your role may call'),
    hints: z.array(z.string()).describe('What to do next, as API calls'),
  })
  .meta({ id: 'SessionHealth' });
export type SessionHealth = z.infer<typeof SessionHealth>;

/**
 * The operations that make sense for a session in its current state: approve/reject while a
 * permission request waits, answer while a question waits, interrupt while a turn runs, and so on.
 * `live` is what the engine's `liveness` reports; a session this process does not run (ended, or not
 * started here) offers none: it can only be read.
 */
export function sessionActions(
  session: Session,
  live: { alive: boolean; inactiveMs: number | null },
): SessionAction[] {
  const running = live.alive || live.inactiveMs !== null;
  if (isTerminal(session.status) || !running) return [];
  switch (session.status) {
    case 'pending':
      return ['send', 'kill'];
    case 'idle':
    case 'rate_limit':
    case 'error':
      return ['send', 'mode', 'kill'];
    case 'working':
    case 'stalled':
      return ['send', 'interrupt', 'mode', 'kill'];
    case 'permission_prompt':
      return ['approve', 'reject', 'escape', 'send', 'interrupt', 'mode', 'kill'];
    case 'asking':
      return ['answer', 'escape', 'send', 'interrupt', 'mode', 'kill'];
    default:
      return [];
  }
}

/**
 * Health of a session, given whether its agent is up. `hints` are the next steps as API calls, which
 * only the HTTP edge can word (the server's `sessionHints`); core knows no URLs.
 */
export function sessionHealth(
  session: Session,
  live: { alive: boolean; inactiveMs: number | null },
  options: { now?: number; hints?: string[] } = {},
): SessionHealth {
  const now = options.now ?? Date.now();
  const hints = options.hints ?? [];
  const stalledMs = session.status === 'stalled' ? live.inactiveMs : null;
  const waiting = session.status === 'permission_prompt' || session.status === 'asking';
  return {
    sessionId: session.id,
    status: session.status,
    alive: live.alive,
    healthy:
      live.alive && !['stalled', 'error', 'rate_limit', 'crashed'].includes(session.status) && !waiting,
    lastActivityAt: session.lastActivityAt,
    idleMs: live.alive ? (live.inactiveMs ?? Math.max(0, now - Date.parse(session.lastActivityAt))) : null,
    stalledMs,
    pendingPermission: session.pendingPermission !== null,
    pendingQuestion: (session.pendingQuestion ?? null) !== null,
    queuedPrompts: session.queuedPrompts,
    problem: session.problem,
    actions: sessionActions(session, live),
    hints,
  };
}
