/**
 * A fixed-window counter per key: at most `limit` hits per `windowMs`. Memory stays bounded: the
 * map is swept of past windows whenever it grows beyond `maxKeys`, and past that the oldest
 * window is dropped (a flood of distinct keys — bad credentials — cannot grow it).
 */
export function windowLimiter(
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
  maxKeys = 10_000,
) {
  const windows = new Map<string, { start: number; count: number }>();
  const sweep = (t: number) => {
    for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
  };
  const current = (key: string, t: number) => {
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      if (windows.size >= maxKeys) sweep(t);
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    return w;
  };
  return {
    /** Counts one hit; `ok: false` once the window is full, with seconds until it resets. */
    hit(key: string): { ok: boolean; retryAfterSec: number } {
      const t = now();
      const w = current(key, t);
      w.count++;
      return { ok: w.count <= limit, retryAfterSec: Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) };
    },
    /** Whether `key` is over the limit right now, without counting. */
    blocked(key: string): { blocked: boolean; retryAfterSec: number } {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= windowMs || w.count < limit) return { blocked: false, retryAfterSec: 0 };
      return { blocked: true, retryAfterSec: Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) };
    },
  };
}
