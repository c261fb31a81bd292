import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AegisError, type ApiKeyRecord, type ApiKeyRole, type ApiKeyStore } from '@aegis/core';

/** A fresh secret: 256 random bits, prefixed so it is recognisable in a secret scanner. */
export function generateSecret(prefix = 'aegis_'): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 of a secret. A salted slow hash buys nothing for 256-bit random secrets (there is no
 * dictionary to attack), and a plain digest lets a key be found by an indexed lookup.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

/** The public view of a key: everything but the hashes. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  status: ApiKeyStatus;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** Until when the secret replaced by the last rotation still works. */
  rotationGraceEndsAt: string | null;
}

export function keyStatus(k: ApiKeyRecord, now: Date): ApiKeyStatus {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

export function viewKey(k: ApiKeyRecord, now: Date): ApiKeyView {
  const graceLive = k.previousExpiresAt && Date.parse(k.previousExpiresAt) > now.getTime();
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    status: keyStatus(k, now),
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
    rotationGraceEndsAt: graceLive ? k.previousExpiresAt : null,
  };
}

/** Creates, rotates, revokes and checks API keys over an {@link ApiKeyStore}. */
export function apiKeyService(store: ApiKeyStore, now: () => Date = () => new Date()) {
  const notFound = (id: string) =>
    new AegisError('NOT_FOUND', `API key ${id} does not exist; list keys with GET /v1/auth/keys.`, {
      details: { keyId: id },
    });
  // Writing lastUsedAt on every request would turn each read into a write; once a minute is enough.
  const lastTouched = new Map<string, number>();

  return {
    async create(input: {
      name: string;
      role: ApiKeyRole;
      expiresAt?: string | null;
      createdBy: string | null;
    }) {
      const secret = generateSecret();
      const record: ApiKeyRecord = {
        id: `key_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
        name: input.name,
        role: input.role,
        hash: hashSecret(secret),
        createdAt: now().toISOString(),
        // One form (toISOString), so the store can compare it with the time as text (state()).
        expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
        revokedAt: null,
        createdBy: input.createdBy,
        previousHash: null,
        previousExpiresAt: null,
        lastUsedAt: null,
      };
      await store.insert(record);
      return { key: viewKey(record, now()), secret };
    },

    async get(id: string): Promise<ApiKeyView | undefined> {
      const k = await store.get(id);
      return k && viewKey(k, now());
    },

    async list(): Promise<ApiKeyView[]> {
      const at = now();
      return (await store.list()).map((k) => viewKey(k, at));
    },

    async revoke(id: string): Promise<ApiKeyView> {
      const k = await store.get(id);
      if (!k) throw notFound(id);
      const updated = k.revokedAt
        ? k
        : await store.update(id, { revokedAt: now().toISOString(), previousExpiresAt: null });
      return viewKey(updated ?? k, now());
    },

    /** New secret; the old one keeps working for `graceSeconds` so clients can switch over. */
    async rotate(id: string, graceSeconds: number) {
      const k = await store.get(id);
      if (!k) throw notFound(id);
      if (keyStatus(k, now()) !== 'active') {
        throw new AegisError(
          'CONFLICT',
          `API key ${id} is ${keyStatus(k, now())}; create a new key instead.`,
          {
            details: { keyId: id },
          },
        );
      }
      const graceEnds = k.previousExpiresAt && Date.parse(k.previousExpiresAt) > now().getTime();
      if (graceEnds && graceSeconds > 0) {
        // One previous secret is kept: a second graced rotation would silently end the first grace.
        throw new AegisError(
          'CONFLICT',
          `API key ${id} was rotated recently and its previous secret still works until ${k.previousExpiresAt}; rotating again with a grace period would end that one without notice. Wait until then, or rotate with gracePeriodSeconds: 0 to end both old secrets now.`,
          { details: { keyId: id, rotationGraceEndsAt: k.previousExpiresAt } },
        );
      }
      const secret = generateSecret();
      const updated = await store.update(id, {
        hash: hashSecret(secret),
        previousHash: graceSeconds > 0 ? k.hash : null,
        previousExpiresAt:
          graceSeconds > 0 ? new Date(now().getTime() + graceSeconds * 1000).toISOString() : null,
      });
      return { key: viewKey(updated ?? k, now()), secret };
    },

    /** The key a presented secret belongs to, if it is active (or a rotated secret in its grace). */
    async authenticate(secret: string): Promise<ApiKeyRecord | undefined> {
      if (!secret || secret.length > 512) return undefined;
      const hash = hashSecret(secret);
      const k = await store.findByHash(hash);
      if (!k) return undefined;
      const at = now();
      if (keyStatus(k, at) !== 'active') return undefined;
      if (k.hash !== hash && !(k.previousExpiresAt && Date.parse(k.previousExpiresAt) > at.getTime())) {
        return undefined;
      }
      const last = lastTouched.get(k.id) ?? 0;
      if (at.getTime() - last > 60_000) {
        lastTouched.set(k.id, at.getTime());
        await store.update(k.id, { lastUsedAt: at.toISOString() });
      }
      return k;
    },

    async isActive(id: string): Promise<boolean> {
      const k = await store.get(id);
      return !!k && keyStatus(k, now()) === 'active';
    },

    async hasActiveKeys(): Promise<boolean> {
      return (await this.keyState()) === 'active';
    },

    /**
     * `none`: no key was ever created; `active`: at least one key works; `lapsed`: keys exist
     * but every one has expired or been revoked (keys are never deleted, so this is "keys have existed").
     */
    keyState(): Promise<'none' | 'active' | 'lapsed'> {
      return store.state(now().toISOString());
    },
  };
}

export type ApiKeyService = ReturnType<typeof apiKeyService>;
