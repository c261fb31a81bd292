import { AegisError } from '@aegis/core';

/** Limits on event streams (`/v1/events`, `/v1/sessions/{id}/events`); see docs/security.md. */
export interface EventStreamLimits {
  /** Streams one key (or the local user) may hold open at once; one more is answered 429. */
  perKey: number;
  /**
   * Bytes of live events held for one stream while its socket is not draining. Past this the held
   * events are dropped and the stream reads them again from the durable log at the socket's pace.
   */
  bufferBytes: number;
  /** A stream whose socket has not drained for this long is closed; the client resumes with Last-Event-ID. */
  blockedTimeoutMs: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = Object.freeze({
  perKey: 20,
  bufferBytes: 1024 * 1024,
  blockedTimeoutMs: 30_000,
});

/**
 * The event streams open on this server, by the key that opened them: caps how many one key holds,
 * and lets revoking or rotating a key end its streams at once.
 */
export function openStreams(perKey: number) {
  const byKey = new Map<string, Set<AbortController>>();
  return {
    /**
     * Registers a stream of `key` (an API key id, `bootstrap` or `local`). Its signal aborts when the
     * key's streams are ended; call `release` when the stream closes. Throws RATE_LIMITED at the cap.
     */
    open(key: string): { signal: AbortSignal; release(): void } {
      let set = byKey.get(key);
      if ((set?.size ?? 0) >= perKey) {
        throw new AegisError(
          'RATE_LIMITED',
          `This key already has ${perKey} event streams open, the most one key may hold. Close a stream you no longer read (a stream resumes where it left off with Last-Event-ID), or raise eventStreams.perKey in the server config.`,
          { details: { openStreams: set?.size ?? 0, limit: perKey, retryAfterSec: 5 } },
        );
      }
      if (!set) byKey.set(key, (set = new Set()));
      const controller = new AbortController();
      set.add(controller);
      return {
        signal: controller.signal,
        release() {
          set.delete(controller);
          if (set.size === 0 && byKey.get(key) === set) byKey.delete(key);
        },
      };
    },
    /** Ends every open stream of `key`, saying why; returns how many. */
    closeKey(key: string, reason: string): number {
      const set = byKey.get(key);
      if (!set) return 0;
      byKey.delete(key);
      for (const c of set) c.abort(reason);
      return set.size;
    },
    /** Open streams of `key`. */
    count(key: string): number {
      return byKey.get(key)?.size ?? 0;
    },
  };
}

export type OpenStreams = ReturnType<typeof openStreams>;
