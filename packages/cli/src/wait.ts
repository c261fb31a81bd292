import type { AegisClient, Session } from '@aegis/client';
import { plain, spinner } from './output.js';

export interface TurnOutcome {
  session: Session;
  /** Why the wait ended. */
  reason: 'turn_completed' | 'turn_failed' | 'needs_answer' | 'ended' | 'dropped';
  /** The agent's messages in that turn, in order. */
  reply: string[];
  /** With `dropped`: why the server dropped the prompt before its turn could start. */
  dropped?: string;
}

/** Prompt texts as a `prompts.dropped` event carries them. */
const DROPPED_TEXT_CHARS = 200;

/**
 * Whether a `prompts.dropped` event takes `text` with it: it names the prompt, or names none (a
 * restart that knew only how many prompts were queued dropped them all).
 */
export function dropsPrompt(data: { texts: string[] }, text: string): boolean {
  return data.texts.length === 0 || data.texts.includes(text.slice(0, DROPPED_TEXT_CHARS));
}

/**
 * Waits until the turn that runs `text` finishes, needs an answer (permission or question), or the
 * session ends. Turns run one at a time, so "ours" is the running turn that started with `text` and
 * had not finished at `snapshotSeq` (the session's lastSeq when the prompt was accepted); events are
 * read from `after` (a seq known to precede our turn). A live `prompts.dropped` that names our
 * prompt (or names none: a restart that knew only how many were queued) before our turn started
 * ends the wait too: that turn will never run. Shows a spinner on a terminal.
 */
export async function waitForTurn(
  client: AegisClient,
  id: string,
  text: string,
  opts: { after: number; snapshotSeq: number; signal?: AbortSignal },
): Promise<TurnOutcome> {
  const spin = spinner('Waiting for the agent…');
  const abort = new AbortController();
  const stopOnSignal = () => abort.abort();
  opts.signal?.addEventListener('abort', stopOnSignal);
  let reason: TurnOutcome['reason'] | null = null;
  let dropped: string | undefined;
  const reply: string[] = [];
  try {
    let current: { ours: boolean } | null = null;
    let started = false;
    for await (const e of client.streamSessionEvents(id, { after: opts.after, signal: abort.signal })) {
      const live = e.seq > opts.snapshotSeq;
      if (e.type === 'turn.started') {
        current = { ours: e.data.text === text };
        if (current.ours && live) started = true;
      } else if (e.type === 'prompts.dropped' && live && !started && dropsPrompt(e.data, text)) {
        reason = 'dropped';
        dropped = e.data.reason;
      } else if ((e.type === 'turn.completed' || e.type === 'turn.failed') && current) {
        if (current.ours && live) reason = e.type === 'turn.completed' ? 'turn_completed' : 'turn_failed';
        current = null;
      } else if ((e.type === 'permission.requested' || e.type === 'question.asked') && current?.ours && live)
        reason = 'needs_answer';
      else if (e.type === 'session.ended') reason = 'ended';
      else if (e.type === 'message.completed' && current?.ours) reply.push(e.data.text);
      else if (e.type === 'tool.started' && current?.ours) spin.update(`Working… ${e.data.title ?? ''}`);
      if (reason) break;
    }
  } finally {
    abort.abort();
    spin.stop();
    opts.signal?.removeEventListener('abort', stopOnSignal);
  }
  if (!reason) throw new Error('The event stream ended before the turn finished.');
  const session = await client.getSession(id);
  return dropped === undefined ? { session, reason, reply } : { session, reason, reply, dropped };
}

/** What the CLI says of a prompt dropped before its turn started (`why`: the event's reason). */
export function droppedMessage(why: string): string {
  return `The prompt was dropped before its turn started: ${plain(why)}. Send it again to run it`;
}

/** The exit code of a `--wait`: 1 when the prompt's turn failed or never ran, or the session crashed. */
export function outcomeExitCode(outcome: TurnOutcome): 0 | 1 {
  const failed =
    outcome.reason === 'turn_failed' || outcome.reason === 'dropped' || outcome.session.status === 'crashed';
  return failed ? 1 : 0;
}

/** What `--wait --json` adds to the command's answer: how the wait ended and what the agent said. */
export function outcomeJson({ session, reason, reply, dropped }: TurnOutcome) {
  return { session, waited: reason, reply, ...(dropped === undefined ? {} : { dropped }) };
}
