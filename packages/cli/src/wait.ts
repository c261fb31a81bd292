import type { AegisClient, Session } from '@aegis/client';
import { spinner } from './output.js';

export interface TurnOutcome {
  session: Session;
  /** Why the wait ended. */
  reason: 'turn_completed' | 'turn_failed' | 'needs_answer' | 'ended';
  /** The agent's messages in that turn, in order. */
  reply: string[];
}

/**
 * Waits until the turn that runs `text` finishes, needs an answer (permission or question), or the
 * session ends. Turns run one at a time, so "ours" is the running turn that started with `text` and
 * had not finished at `snapshotSeq` (the session's lastSeq when the prompt was accepted); events are
 * read from `after` (a seq known to precede our turn). Shows a spinner on a terminal.
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
  const reply: string[] = [];
  try {
    let current: { ours: boolean } | null = null;
    for await (const e of client.streamSessionEvents(id, { after: opts.after, signal: abort.signal })) {
      const live = e.seq > opts.snapshotSeq;
      if (e.type === 'turn.started') current = { ours: e.data.text === text };
      else if ((e.type === 'turn.completed' || e.type === 'turn.failed') && current) {
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
  return { session: await client.getSession(id), reason, reply };
}
