import type { Actor } from '@aegis/core';
import { generateSecret, hashSecret } from './api-keys.js';

interface Grant {
  actor: Actor;
  sessionId: string | null;
  expiresAt: number;
  /** Voided by a revocation or rotation of its key; kept until it expires to say so. */
  revoked?: true;
}

export type SseTokenCheck =
  | { ok: true; actor: Actor }
  | { ok: false; reason: 'unknown' | 'expired' | 'scope' | 'revoked' };

/**
 * Short-lived, single-use tokens for `EventSource`, which cannot send headers. A token is bound to
 * the identity that minted it and optionally to one session; it is consumed by its first use,
 * whether or not that use succeeds, so a leaked URL is worth nothing after it was opened.
 */
export function sseTokenRegistry(ttlMs: number, now: () => number = Date.now) {
  const grants = new Map<string, Grant>();
  const purge = () => {
    const t = now();
    for (const [k, g] of grants) if (g.expiresAt <= t) grants.delete(k);
  };
  return {
    mint(actor: Actor, sessionId: string | null) {
      purge();
      const token = generateSecret('aegis_sse_');
      const expiresAt = now() + ttlMs;
      grants.set(hashSecret(token), { actor: { ...actor }, sessionId, expiresAt });
      return { token, expiresAt: new Date(expiresAt).toISOString(), sessionId };
    },
    /** Consumes `token` for a stream of `sessionId` (`null` = the global stream). */
    consume(token: string, sessionId: string | null): SseTokenCheck {
      const key = hashSecret(token);
      const grant = grants.get(key);
      if (!grant) return { ok: false, reason: 'unknown' };
      grants.delete(key);
      if (grant.expiresAt <= now()) return { ok: false, reason: 'expired' };
      if (grant.revoked) return { ok: false, reason: 'revoked' };
      if (grant.sessionId !== null && grant.sessionId !== sessionId) return { ok: false, reason: 'scope' };
      return { ok: true, actor: grant.actor };
    },
    /** Voids every unused token minted by `actorId` (its key was revoked or its secret rotated). */
    revokeActor(actorId: string): number {
      let n = 0;
      for (const g of grants.values()) {
        if (g.actor.id === actorId && !g.revoked) {
          g.revoked = true;
          n++;
        }
      }
      return n;
    },
    get size() {
      return grants.size;
    },
  };
}

export type SseTokenRegistry = ReturnType<typeof sseTokenRegistry>;
