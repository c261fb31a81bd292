import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor, ApiKeyRecord } from '@aegis/core';

/*
 * Who a credential stands for: the actors the gate (`authenticate.ts`) can resolve a request to,
 * what it says when keys lapse, and how it compares secrets.
 */

/** What a credential resolved to: who, and until when it stays valid; or why it is refused. */
export type CookieCheck =
  | { actor: Actor; valid: () => Promise<boolean>; expiresAt?: number | undefined }
  | { refused: { status: 401 | 403; message: string; details?: Record<string, unknown> } };

/** Said at start-up and when the last active key lapses (zero-config access stays off). */
export const LAPSED_KEYS_MESSAGE =
  'Every API key has expired or been revoked. Credential-less local admin access stays off once keys have existed; restart with AEGIS_AUTH_TOKEN set to a bootstrap admin token (16+ characters) and create a new key with it (`ag keys create`), or set zeroConfigAfterKeys: true to allow credential-less loopback access again.';
/** Said when `zeroConfigAfterKeys` lets zero-config access come back. */
export const ZERO_CONFIG_BACK_MESSAGE =
  'Every API key has expired or been revoked, and zeroConfigAfterKeys is on: any local process can now act as admin without a credential. Create a key (`ag keys create`) to turn this off.';

/** The person at the machine, in zero-config loopback mode. */
export const LOCAL_ACTOR: Actor = Object.freeze({ id: null, admin: true, role: 'admin' });
/** Whoever holds `AEGIS_AUTH_TOKEN`. */
export const BOOTSTRAP_ACTOR: Actor = Object.freeze({ id: 'bootstrap', admin: true, role: 'admin' });
/** No (valid) credential, on a public route. */
export const ANONYMOUS_ACTOR: Actor = Object.freeze({ id: 'anonymous', admin: false, role: undefined });

/** The actor of an API key. */
export const keyActor = (k: ApiKeyRecord): Actor => ({ id: k.id, role: k.role, admin: k.role === 'admin' });
/** A secret's SHA-256 digest in hex: counts failures per credential without keeping the credential. */
export const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Compares SHA-256 digests in constant time, so neither the content nor the length of the token leaks. */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
