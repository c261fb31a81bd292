import type { LiveSession } from './live-session.js';

export interface SessionSweepOptions {
  /** The live sessions, by id; a reaped session is removed. */
  live: Map<string, LiveSession>;
  /** Checked first on every pass (see `createStoreGuard`). */
  storeGuard: { check(): void };
  /** `idleTimeoutMs`; 0 = off. */
  idleTimeoutMs: number;
  /** `idleEvictMs`; 0 = off. */
  idleEvictMs: number;
  intervalMs: number;
  onError: (err: unknown, context: string) => void;
}

/**
 * The engine's periodic pass over live sessions: the store guard, stalled and timed-out turns,
 * idle sessions reaped (`idleTimeoutMs`) and idle agents evicted (`idleEvictMs`). The timer is
 * unref'd; clear it on close.
 */
export function startSessionSweep(opts: SessionSweepOptions): NodeJS.Timeout {
  const { live, storeGuard, idleTimeoutMs, idleEvictMs, onError } = opts;
  const stallTimer = setInterval(() => {
    storeGuard.check();
    for (const s of live.values()) {
      s.checkStall();
      s.checkTimeout();
      const inactive = idleTimeoutMs > 0 ? s.inactiveMs() : null;
      if (inactive !== null && inactive >= idleTimeoutMs) {
        const reason = `no activity for ${Math.round(inactive / 1000)} s (idleTimeoutMs ${idleTimeoutMs})`;
        live.delete(s.session.id);
        s.end('completed', reason).catch((err) => onError(err, 'reaping an idle session'));
        continue;
      }
      const idleMs = Date.now() - s.lastEventAt;
      if (idleEvictMs > 0 && s.evictable && idleMs >= idleEvictMs) {
        s.evict(`idle for ${Math.round(idleMs / 1000)} s (idleEvictMs ${idleEvictMs})`).catch((err) =>
          onError(err, `evicting the agent of session ${s.session.id}`),
        );
      }
    }
  }, opts.intervalMs);
  stallTimer.unref();
  return stallTimer;
}
