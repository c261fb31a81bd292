import type { Session } from '@aegis/core';

/**
 * Plain-language next steps for a session, as API calls (what `GET …/health` and `GET …/{id}` show; core's `sessionHealth` takes them).
 * `inactiveMs` is how long the agent has been without an event (for the stalled hint).
 */
export function sessionHints(session: Session, inactiveMs: number | null): string[] {
  const base = `/v1/sessions/${session.id}`;
  const hints: string[] = [];
  switch (session.status) {
    case 'pending':
      hints.push('The agent is starting; poll GET ' + base + ' until status is idle.');
      break;
    case 'idle':
      hints.push(`Ready for a prompt: POST ${base}/send { "text": ... }.`);
      break;
    case 'working':
      hints.push(`A turn is running: follow GET ${base}/events, or POST ${base}/interrupt to cancel it.`);
      break;
    case 'permission_prompt':
      hints.push(
        `Waiting for approval of "${session.pendingPermission?.title ?? 'a tool call'}": POST ${base}/approve or POST ${base}/reject (POST ${base}/escape dismisses it).`,
      );
      break;
    case 'asking':
      hints.push(
        `Waiting for an answer to "${session.pendingQuestion?.message ?? 'a question'}": POST ${base}/answer { "answer": ... } (POST ${base}/escape skips it).`,
      );
      break;
    case 'stalled':
      hints.push(
        `No update from the agent for ${Math.round((inactiveMs ?? 0) / 1000)} s: wait, or POST ${base}/interrupt and send the prompt again.`,
      );
      break;
    case 'rate_limit':
      hints.push(
        `The model provider rate-limited the turn${session.problem?.retryAt ? ` (retry after ${session.problem.retryAt})` : ''}: POST ${base}/send to retry later.`,
      );
      break;
    case 'error':
      hints.push(
        `${session.problem?.message ?? 'The last turn failed'}${session.problem?.hint ? ` — ${session.problem.hint}` : ''}; POST ${base}/send to try again.`,
      );
      break;
    case 'completed':
    case 'killed':
    case 'crashed':
      hints.push(
        `The session has ended (${session.status}); read GET ${base}/transcript/cursor, or POST /v1/sessions to start a new one.`,
      );
      if (session.exit?.stderrTail) hints.push(`Agent stderr: ${session.exit.stderrTail.slice(-300)}`);
      break;
  }
  return hints;
}
