import { type AegisClient, SESSION_STATUSES, type SessionDetail, type SessionStatus } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** Every session state (the spec's list, generated into the client). */
export const STATES = SESSION_STATUSES;

/** States a session never leaves: waiting past one of them can only end in a timeout. */
const TERMINAL: readonly SessionStatus[] = ['completed', 'killed', 'crashed'];

/**
 * Below the MCP SDK's 60 s default request timeout, so a client that sets no timeout of its own gets
 * our `reached: false` answer instead of a request-timeout error.
 */
export const DEFAULT_WAIT_MS = 50_000;
export const MAX_WAIT_MS = 600_000;
const POLL_MS = 250;
const PROGRESS_EVERY_MS = 5_000;

export interface WaitResult {
  reached: boolean;
  /** `reached`, `terminal` (the session ended in a state that was not asked for) or `timeout`. */
  reason: 'reached' | 'terminal' | 'timeout';
  session: SessionDetail;
}

/**
 * Polls the session until its status is one of `states`, it ends in a terminal state that was not
 * asked for, `timeoutMs` passes, or `signal` aborts (the MCP client cancelled; then it rejects).
 */
export async function waitForState(
  client: AegisClient,
  sessionId: string,
  states: readonly SessionStatus[],
  opts: { timeoutMs: number; signal?: AbortSignal; onProgress?: (elapsedMs: number) => void },
): Promise<WaitResult> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    opts.signal?.throwIfAborted();
    const session = await client.getSession(sessionId);
    if (states.includes(session.status) && !aboutToWork(session))
      return { reached: true, reason: 'reached', session };
    if (TERMINAL.includes(session.status)) return { reached: false, reason: 'terminal', session };
    const now = Date.now();
    if (now - started >= opts.timeoutMs) return { reached: false, reason: 'timeout', session };
    if (opts.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      opts.onProgress(now - started);
    }
    await sleep(Math.min(POLL_MS, opts.timeoutMs - (now - started)), opts.signal);
  }
}

/**
 * Idle with prompts queued is a moment between turns (the next one starts as soon as the agent takes
 * it), not the idle a caller waits for: "send, then wait for idle" means "until it has done it".
 */
const aboutToWork = (session: SessionDetail) => session.status === 'idle' && session.queuedPrompts > 0;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Call = (fn: () => Promise<unknown>) => Promise<{ content: { type: 'text'; text: string }[] }>;

/** Registers `wait_for_state`: it blocks so an orchestrating agent does not have to poll. */
export function registerWaitForState(server: McpServer, client: AegisClient, call: Call): void {
  server.registerTool(
    'wait_for_state',
    {
      description: `Block until the session reaches one of the given states; returns { reached, reason, session }. reached is false with reason "terminal" as soon as the session ends (completed, killed or crashed) in a state you did not ask for, and with reason "timeout" when timeoutMs passes (default ${DEFAULT_WAIT_MS} ms, max ${MAX_WAIT_MS} ms). MCP clients give up on a request after 60 s by default: for longer waits raise your client's request timeout (or let progress notifications reset it), or call again.`,
      inputSchema: {
        sessionId: z.string().describe('Session id from create_session or list_sessions'),
        states: z.array(z.enum(STATES)).min(1).describe('Return when the session is in any of these'),
        timeoutMs: z.number().int().min(100).max(MAX_WAIT_MS).default(DEFAULT_WAIT_MS),
      },
    },
    (args, extra) =>
      call(() => {
        const progressToken = extra._meta?.progressToken;
        return waitForState(client, args.sessionId, args.states, {
          timeoutMs: args.timeoutMs,
          signal: extra.signal,
          ...(progressToken === undefined
            ? {}
            : {
                onProgress: (elapsed: number) =>
                  void extra
                    .sendNotification({
                      method: 'notifications/progress',
                      params: { progressToken, progress: elapsed, total: args.timeoutMs },
                    })
                    .catch(() => {}),
              }),
        });
      }),
  );
}
