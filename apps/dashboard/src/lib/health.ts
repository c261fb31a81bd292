import type { SessionHealth } from '@aegis/client';
import { fmtMs } from './transcript.js';

/**
 * The Health panel's one sentence for a person: what the session is doing and what, if anything,
 * they can do about it here. (The API's `hints` name REST calls; those are for scripts.)
 */
export function healthSentence(h: SessionHealth): string {
  switch (h.status) {
    case 'completed':
    case 'killed':
    case 'crashed':
      return `This session has ended (${h.status}). Start a new session to continue the work.`;
    default:
      break;
  }
  if (h.pendingPermission) return 'Waiting for you to approve or reject the request above.';
  if (h.pendingQuestion) return 'The agent asked a question: answer it above.';
  if (h.status === 'stalled')
    return `No output from the agent for ${fmtMs(h.stalledMs ?? 0)}. Wait, or interrupt the turn.`;
  if (h.status === 'rate_limit')
    return 'The model provider is limiting requests; the turn goes on by itself.';
  if (h.status === 'error')
    return `${h.problem?.message ?? 'The last turn failed.'} Send a prompt to try again.`;
  if (h.status === 'working' || h.status === 'pending') {
    const queued = h.queuedPrompts
      ? ` ${h.queuedPrompts} more prompt${h.queuedPrompts === 1 ? '' : 's'} queued.`
      : '';
    return `Working on a turn.${queued}`;
  }
  if (!h.alive) return 'The agent is not running now; it starts again when you send a prompt.';
  return 'Ready for the next prompt.';
}
