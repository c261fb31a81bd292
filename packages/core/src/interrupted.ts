import type { AegisEvent } from './events.js';
import { SYSTEM } from './human-waits.js';
import type { SessionRecorder } from './session-recorder.js';
import type { AegisStore } from './store.js';

/** What a process that died without a shutdown left unfinished in a session's log. */
export interface Interrupted {
  /** The last turn started (the running one, if the session was working). */
  turn: { turnId: string; at: string } | null;
  /** A message whose deltas were streamed but never completed. */
  message: { id: string; text: string } | null;
}

export const RESTART =
  'Aegis stopped without a shutdown while this session was live; its agent process went with it.';

/** States with a turn in progress. */
export const RUNNING: ReadonlySet<string> = new Set(['working', 'permission_prompt', 'asking', 'stalled']);

/**
 * Reads a session's whole log: the truth about where `seq` goes on, which turn was running, which
 * message was cut off mid-stream, and whether the session was given its own env (not stored).
 */
export async function scanLog(
  store: AegisStore,
  sessionId: string,
): Promise<{ lastSeq: number; cut: Interrupted; ownEnv: boolean }> {
  let lastSeq = 0;
  let ownEnv = false;
  const cut: Interrupted = { turn: null, message: null };
  for (;;) {
    const page: AegisEvent[] = await store.listEvents({ sessionId, after: lastSeq, limit: 1000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.type === 'turn.started') cut.turn = { turnId: e.data.turnId, at: e.at };
      // Events stored before `envNames` existed lack it.
      else if (e.type === 'session.created')
        ownEnv = ((e.data.envNames as string[] | undefined) ?? []).length > 0;
      else if (e.type === 'message.delta') {
        if (cut.message?.id === e.data.messageId) cut.message.text += e.data.text;
        else cut.message = { id: e.data.messageId, text: e.data.text };
      } else if (e.type === 'message.completed') cut.message = null;
    }
    lastSeq = page.at(-1)?.seq ?? lastSeq;
  }
  return { lastSeq, cut, ownEnv };
}

/**
 * Records what a dead process left open, before a new agent process takes the session on: a
 * message cut off mid-stream is completed, a pending permission or question is cancelled, and a
 * running turn fails saying so. The turn is never replayed on its own.
 */
export function recordInterrupted(rec: SessionRecorder, cut: Interrupted, why = RESTART): void {
  const session = rec.session;
  const { turn } = cut;
  const now = Date.now();
  // The message cut off mid-stream is completed (and enters the transcript) with the next event.
  if (cut.message) rec.reopenMessage(cut.message);
  const decidedBy = SYSTEM('server restart');
  const permission = session.pendingPermission;
  if (permission) {
    rec.rememberPermission(permission.requestId, permission);
    rec.emitSafe({ type: 'permission.resolved', data: cancelledPermission(permission, now) });
  }
  session.pendingPermissionCount = 0;
  const question = session.pendingQuestion;
  if (question) {
    rec.rememberQuestion(question.questionId, question.message);
    rec.emitSafe({
      type: 'question.answered',
      data: {
        questionId: question.questionId,
        outcome: 'cancelled',
        answers: {},
        decidedBy,
        waitedMs: Math.max(0, now - Date.parse(question.askedAt)),
      },
    });
  }
  const queued = session.queuedPrompts;
  session.queuedPrompts = 0;
  const running = RUNNING.has(session.status);
  if (running) {
    rec.emitSafe({
      type: 'turn.failed',
      data: {
        turnId: turn?.turnId ?? 'unknown',
        problem: {
          code: 'AGENT_CRASHED',
          message: `${why} This turn was cut off with it; its output so far is in the transcript.${queued > 0 ? ` ${queued} queued prompt(s) were not delivered.` : ''}`,
          hint: 'Send the prompt again to continue.',
        },
        rateLimited: false,
        durationMs: turn ? Math.max(0, now - Date.parse(turn.at)) : 0,
      },
    });
  }
  if (queued > 0) {
    // Prompts that waited (behind the cut-off turn, or for the agent to start or wake): their texts
    // died with the process (the row counts them), so whoever sent one learns it will not run.
    const reason = `${why} ${queued} queued prompt(s) were not delivered; send them again.`;
    // The transcript says so too, unless the cut-off turn's failure (which names them) already does.
    const note = running ? undefined : reason;
    rec.emitSafe({ type: 'prompts.dropped', data: { count: queued, texts: [], reason } }, note);
  }
}

/** What a `permission.resolved` says for a request nobody can answer any more (its process is gone). */
export function cancelledPermission(permission: { requestId: string; requestedAt: string }, now: number) {
  return {
    requestId: permission.requestId,
    outcome: 'cancelled' as const,
    optionId: null,
    optionKind: null,
    decidedBy: SYSTEM('server restart'),
    waitedMs: Math.max(0, now - Date.parse(permission.requestedAt)),
  };
}
