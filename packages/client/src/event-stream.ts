import { AegisApiError, apiError, safeJson } from './errors.js';
import { parseSse } from './sse.js';
import type { AegisEvent } from './types.js';

export interface StreamOptions {
  /** Resume after this id (the SSE `id` of the last event you saw). */
  after?: number;
  signal?: AbortSignal;
  /**
   * Reconnect after a dropped connection, a 5xx (a restarting server, or the proxy in front of it) or
   * a 429, resuming with Last-Event-ID (default true). Other errors (401, 403, 404, …) end the stream.
   */
  reconnect?: boolean;
  /** Delay before reconnecting, doubled up to 5 s. Default 250 ms. */
  retryMs?: number;
  /**
   * Authenticate the stream with an event-stream token (`?token=`, from `createSseToken`) instead of
   * the `Authorization` header — for browsers, where an API key must never go in a URL. Tokens are
   * single-use, so pass a function to mint a fresh one for every (re)connection, e.g.
   * `() => aegis.createSseToken({ sessionId: id }).then((t) => t.token)`.
   */
  sseToken?: string | (() => string | Promise<string>);
}

/** Where and how a stream connects: the client's base URL, token and fetch. */
export interface Connection {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly fetch: typeof fetch;
}

/**
 * Events from `path` (stored ones after `options.after`, then live ones), resuming with
 * Last-Event-ID after a drop; `cursorOf` names the field events are ordered by.
 */
export async function* streamEvents(
  conn: Connection,
  path: string,
  cursorOf: (e: AegisEvent) => number,
  options: StreamOptions,
): AsyncGenerator<AegisEvent> {
  let last = options.after ?? 0;
  let delay = options.retryMs ?? 250;
  const signal = options.signal;
  for (;;) {
    if (signal?.aborted) return;
    const headers: Record<string, string> = { accept: 'text/event-stream', 'last-event-id': String(last) };
    let url = conn.baseUrl + path;
    let res: Response;
    try {
      if (options.sseToken !== undefined) {
        const t = typeof options.sseToken === 'function' ? await options.sseToken() : options.sseToken;
        url += `?token=${enc(t)}`;
      } else if (conn.token) headers.authorization = `Bearer ${conn.token}`;
      res = await conn.fetch(url, { headers, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (err instanceof AegisApiError) throw err;
      if (signal?.aborted || options.reconnect === false) {
        if (signal?.aborted) return;
        throw err;
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 5000);
      continue;
    }
    if (transient(res.status) && options.reconnect !== false && !signal?.aborted) {
      // A restarting server or the proxy in front of it (5xx), or a rate limit (429): wait and
      // resume like a drop, as the Python SDK does.
      await res.body?.cancel().catch(() => {});
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 5000);
      continue;
    }
    if (!res.ok || !res.body) {
      throw apiError(res, await res.text());
    }
    try {
      for await (const frame of parseSse(res.body)) {
        // Frames already read from the socket must not outlive an abort.
        if (signal?.aborted) return;
        const event = safeJson(frame.data) as AegisEvent | undefined;
        if (!event) continue;
        const cursor = cursorOf(event);
        if (cursor <= last) continue;
        last = cursor;
        delay = options.retryMs ?? 250;
        yield event;
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (options.reconnect === false) throw err;
    }
    if (signal?.aborted || options.reconnect === false) return;
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 5000);
  }
}

const enc = encodeURIComponent;
/** Statuses an event stream rides out by reconnecting, as it does a dropped connection. */
const transient = (status: number) => status >= 500 || status === 429;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
