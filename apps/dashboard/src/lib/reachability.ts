import { useEffect, useState } from 'react';
import { apiBase } from '../api.js';
import { t } from '../i18n/index.js';

/**
 * Whether the server answers: `GET /v1/health` every `intervalMs` (and at once when the tab comes
 * back or the browser goes on/offline), bounded by a timeout. An event stream cannot tell: the
 * client keeps reconnecting to a server that is down, so a stream that is quiet looks the same as
 * one that is gone. Any HTTP answer below 500 (even a 401) means the server is up.
 *
 * `null` until the first answer.
 */
export function useServerReachable(intervalMs = 5000): boolean | null {
  const [up, setUp] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    let inFlight: AbortController | undefined;
    const probe = async () => {
      if (inFlight) return;
      const ctrl = new AbortController();
      inFlight = ctrl;
      const timer = setTimeout(() => ctrl.abort(), Math.min(4000, intervalMs));
      let ok = false;
      try {
        const res = await fetch(`${apiBase}/v1/health`, { signal: ctrl.signal, cache: 'no-store' });
        ok = res.status < 500;
        await res.body?.cancel().catch(() => {});
      } catch {
        ok = false;
      } finally {
        clearTimeout(timer);
        inFlight = undefined;
      }
      if (live) setUp(globalThis.navigator?.onLine === false ? false : ok);
    };
    void probe();
    const poll = setInterval(() => document.visibilityState === 'visible' && void probe(), intervalMs);
    const now = () => void probe();
    window.addEventListener('online', now);
    window.addEventListener('offline', now);
    document.addEventListener('visibilitychange', now);
    return () => {
      live = false;
      clearInterval(poll);
      inFlight?.abort();
      window.removeEventListener('online', now);
      window.removeEventListener('offline', now);
      document.removeEventListener('visibilitychange', now);
    };
  }, [intervalMs]);
  return up;
}

/** The event-stream indicator's words: the stream alone cannot say the server is gone. */
export function liveLabel(o: {
  ended: boolean;
  streaming: boolean;
  failed: boolean;
  serverUp: boolean | null;
}): {
  text: string;
  tone: 'on' | 'off' | 'idle';
} {
  if (o.ended) return { text: t('live.ended'), tone: 'idle' };
  if (o.failed) return { text: t('live.offline'), tone: 'off' };
  if (o.serverUp === false) return { text: t('live.unreachable'), tone: 'off' };
  if (o.streaming) return { text: t('live.live'), tone: 'on' };
  return { text: t('live.connecting'), tone: 'idle' };
}
