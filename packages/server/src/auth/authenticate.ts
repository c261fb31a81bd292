import { type Actor, AegisError } from '@aegis/core';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { errorResponse } from '../http-errors.js';
import type { ApiKeyService } from './api-keys.js';
import {
  ANONYMOUS_ACTOR,
  BOOTSTRAP_ACTOR,
  type CookieCheck,
  hashOf,
  keyActor,
  LAPSED_KEYS_MESSAGE,
  LOCAL_ACTOR,
  tokenMatches,
  ZERO_CONFIG_BACK_MESSAGE,
} from './credentials.js';
import { looksLikeJwt } from './jwt-shape.js';
import type { OidcAuth } from './oidc.js';
import type { MatchedOperation } from './operations.js';
import { isAllowed, PERMISSIONS, SSE_OPERATIONS } from './permissions.js';
import { windowLimiter } from './rate-limit.js';
import type { SseTokenRegistry } from './sse-tokens.js';

export interface AuthLimits {
  authFailuresPerMinute: number;
  requestsPerMinute: number;
  sessionsPerKey: number;
  sessionsGlobal: number;
}

export const DEFAULT_LIMITS: AuthLimits = Object.freeze({
  authFailuresPerMinute: 20,
  requestsPerMinute: 600,
  sessionsPerKey: 10,
  sessionsGlobal: 50,
});

export interface AuthOptions {
  keys: ApiKeyService;
  sseTokens: SseTokenRegistry;
  /** `AEGIS_AUTH_TOKEN`: an admin credential that needs no key. */
  bootstrapToken?: string | undefined;
  /**
   * Bound to loopback with no bootstrap token: while no active key exists, requests without
   * credentials act as the local admin.
   */
  zeroConfig: boolean;
  /**
   * Whether zero-config access comes back once every key has expired or been revoked. Default
   * false: once keys have existed, requests need a credential (see {@link LAPSED_KEYS_MESSAGE}).
   */
  zeroConfigAfterKeys?: boolean | undefined;
  /** Told (once per change) when every key has lapsed, and whether local access came back. */
  onWarning?: ((message: string, fields: Record<string, unknown>) => void) | undefined;
  limits: AuthLimits;
  /**
   * A cluster's request counter in the shared database: the per-minute rate then holds across
   * nodes. When the database does not answer, the request is counted on this node instead.
   */
  sharedRate?:
    | {
        count(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
        onError(err: unknown): void;
      }
    | undefined;
  /** People's sign-in tokens from the configured identity provider, accepted beside keys. */
  oidc?: OidcAuth | undefined;
  /**
   * Dashboard sign-ins (an HTTP-only cookie): the actor of a cookie, or a refusal (a mutating
   * request without its CSRF token). Consulted only when the request has no Authorization header.
   */
  cookieSession?: ((c: Context) => Promise<CookieCheck | undefined>) | undefined;
  /** Told of every person a sign-in token was accepted for (the people directory). */
  onPerson?: ((actor: Actor) => void) | undefined;
  /** Finds the operation a request is for (built lazily from the OpenAPI document). */
  matchOperation: (method: string, path: string) => MatchedOperation | undefined;
}

type BearerCheck = CookieCheck;

/** Served without an operation rule: the API description itself. */
const UNLISTED_PUBLIC = /^\/v1\/(openapi\.json|docs)(\/.*)?$/;

/** Addresses many clients share, so failures are not counted against the address. */
const sharedAddress = (ip: string) => ip === 'unknown' || /^(127\.|::1$|::ffff:127\.)/.test(ip);

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function rateLimited(c: Context, message: string, retryAfterSec: number): Response {
  c.header('Retry-After', String(retryAfterSec));
  return errorResponse(c, new AegisError('RATE_LIMITED', message, { details: { retryAfterSec } }));
}

/**
 * The one authentication and authorization gate in front of `/v1/*` and `/metrics`: resolves the
 * caller to an {@link Actor}, finds the operation, and checks the permission matrix (an operation
 * with no rule is denied). Also enforces the auth-failure and request-rate limits; the session
 * caps are `session-caps.ts`, mounted after it.
 */
export function authMiddleware(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const failures = windowLimiter(options.limits.authFailuresPerMinute, 60_000);
  const requests = windowLimiter(options.limits.requestsPerMinute, 60_000);

  /** Counts a request of `owner` against the per-minute rate: across the cluster when there is one. */
  const countRequest = async (owner: string): Promise<{ ok: boolean; retryAfterSec: number }> => {
    if (options.sharedRate) {
      try {
        const { count, resetInMs } = await options.sharedRate.count(`requests:${owner}`, 60_000);
        return {
          ok: count <= options.limits.requestsPerMinute,
          retryAfterSec: Math.max(1, Math.ceil(resetInMs / 1000)),
        };
      } catch (err) {
        options.sharedRate.onError(err);
      }
    }
    return requests.hit(owner);
  };

  /** The actor for an `Authorization: Bearer` secret, or undefined when it is not a credential. */
  async function fromBearer(secret: string): Promise<Actor | undefined> {
    if (options.bootstrapToken && tokenMatches(secret, options.bootstrapToken)) return BOOTSTRAP_ACTOR;
    const key = await options.keys.authenticate(secret);
    return key && keyActor(key);
  }

  /** A bearer secret: a sign-in token (a JWT, when OIDC is configured) or a key / the bootstrap token. */
  async function checkBearer(secret: string): Promise<BearerCheck> {
    const oidc = options.oidc;
    if (
      oidc &&
      looksLikeJwt(secret) &&
      !(options.bootstrapToken && tokenMatches(secret, options.bootstrapToken))
    ) {
      const check = await oidc.verify(secret);
      if (!check.ok) {
        return {
          refused: {
            status: check.status,
            message: check.message,
            details: { reason: check.reason, ...check.details },
          },
        };
      }
      options.onPerson?.(check.actor);
      return {
        actor: check.actor,
        valid: async () => Date.now() < check.expiresAt,
        expiresAt: check.expiresAt,
      };
    }
    const found = await fromBearer(secret);
    if (!found) return { refused: { status: 401, message: 'Invalid, expired or revoked API key.' } };
    return { actor: found, valid: async () => (await fromBearer(secret))?.id === found.id };
  }

  const bearerOf = (c: Context) => {
    const header = c.req.header('authorization');
    if (header === undefined) return undefined;
    return /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : '';
  };

  let lapsedSaid = false;
  /** Zero-config access: while no key was ever created, and after that only if configured. */
  const localAllowed = async () => {
    if (!options.zeroConfig) return false;
    const state = await options.keys.keyState();
    if (state !== 'lapsed') {
      lapsedSaid = false;
      return state === 'none';
    }
    const allowed = options.zeroConfigAfterKeys === true;
    if (!lapsedSaid) {
      lapsedSaid = true;
      options.onWarning?.(allowed ? ZERO_CONFIG_BACK_MESSAGE : LAPSED_KEYS_MESSAGE, { zeroConfig: allowed });
    }
    return allowed;
  };

  /**
   * Counts a failed authentication against the credential tried and against the client's address
   * — except a shared one (loopback: every local process is 127.0.0.1, and one must not lock the
   * others out). Returns the seconds to wait once either is past the limit, else 0. A valid
   * credential is checked before any of this and is never refused because others failed.
   */
  const countFailure = (ip: string, credential: string | undefined): number => {
    const keys = [
      ...(credential !== undefined ? [`credential:${hashOf(credential)}`] : []),
      ...(sharedAddress(ip) ? [] : [`client:${ip}`]),
    ];
    let retryAfterSec = 0;
    for (const key of keys) {
      const hit = failures.hit(key);
      if (!hit.ok) retryAfterSec = Math.max(retryAfterSec, hit.retryAfterSec);
    }
    return retryAfterSec;
  };

  /** 401 with `message`, or 429 once this credential or client has failed too often. */
  const refuse = (
    c: Context,
    ip: string,
    credential: string | undefined,
    message: string,
    details?: Record<string, unknown>,
  ): Response => {
    const retryAfterSec = countFailure(ip, credential);
    if (retryAfterSec > 0) {
      return rateLimited(
        c,
        'Too many failed authentications with this credential or from this address; wait, and use a valid credential.',
        retryAfterSec,
      );
    }
    return errorResponse(c, new AegisError('UNAUTHORIZED', message, details ? { details } : {}));
  };
  /** A refused credential: 403 (a person without a role) as it is, 401 counted as a failure. */
  const refused = (
    c: Context,
    ip: string,
    credential: string | undefined,
    r: Extract<BearerCheck, { refused: unknown }>['refused'],
  ) =>
    r.status === 403
      ? errorResponse(c, new AegisError('FORBIDDEN', r.message, r.details ? { details: r.details } : {}))
      : refuse(c, ip, credential, r.message, r.details);

  return async (c, next) => {
    const ip = clientIp(c);
    const path = c.req.path;
    const op = options.matchOperation(c.req.method, path);
    c.set('operation', op);

    if (!op && c.req.method === 'GET' && UNLISTED_PUBLIC.test(path)) return next();
    const rule = op ? PERMISSIONS[op.operationId] : undefined;

    if (rule === 'public') {
      let actor = ANONYMOUS_ACTOR;
      const bearer = bearerOf(c);
      if (bearer !== undefined) {
        const found = await checkBearer(bearer);
        if ('actor' in found) actor = found.actor;
        else if (found.refused.status === 401) countFailure(ip, bearer);
      } else {
        const cookie = await options.cookieSession?.(c);
        if (cookie && 'actor' in cookie) actor = cookie.actor;
        else if (await localAllowed()) actor = LOCAL_ACTOR;
      }
      c.set('actor', actor);
      await next();
      if (actor === ANONYMOUS_ACTOR && op?.operationId === 'getHealth' && c.res.ok) {
        // Unauthenticated callers learn only that the server is up: no version, agents or load.
        c.res = c.json({ status: 'ok' }, 200);
      }
      return;
    }

    let actor: Actor | undefined;
    const queryToken = c.req.query('token');
    // A chat user another node of the cluster acts for (its signature was checked: see verifyPeers).
    const chatUser = c.get('peerActor');
    if (chatUser) {
      actor = chatUser;
      c.set('credentialValid', async () => true);
    } else if (queryToken !== undefined) {
      if (!op || !SSE_OPERATIONS.has(op.operationId)) {
        return refuse(
          c,
          ip,
          queryToken,
          'A ?token= is accepted only by the event streams; send Authorization: Bearer <API key> instead.',
        );
      }
      const check = options.sseTokens.consume(queryToken, op.params.id ?? null);
      if (!check.ok) {
        return refuse(
          c,
          ip,
          queryToken,
          check.reason === 'scope'
            ? 'This event-stream token was minted for another stream; mint one for this stream with POST /v1/auth/sse-token.'
            : check.reason === 'revoked'
              ? 'The key that minted this event-stream token has been revoked or its secret rotated; mint a new token with a valid key (POST /v1/auth/sse-token).'
              : '?token= must be an unused, unexpired token from POST /v1/auth/sse-token (API keys are not accepted in URLs).',
        );
      }
      // A person's token (oidc:…) was checked when it minted this one; keys can be revoked since.
      const keyMinted = check.actor.id && check.actor.id !== 'bootstrap' && !check.actor.person;
      if (keyMinted && !(await options.keys.isActive(check.actor.id as string))) {
        return refuse(
          c,
          ip,
          queryToken,
          'The key that minted this event-stream token has been revoked or has expired.',
        );
      }
      actor = check.actor;
      const keyId = actor.id;
      c.set(
        'credentialValid',
        keyId === null
          ? localAllowed
          : keyId === 'bootstrap' || actor.person
            ? async () => true
            : () => options.keys.isActive(keyId),
      );
    } else {
      const bearer = bearerOf(c);
      const cookie = bearer === undefined ? await options.cookieSession?.(c) : undefined;
      if (bearer !== undefined) {
        const found = await checkBearer(bearer);
        if ('refused' in found) return refused(c, ip, bearer, found.refused);
        actor = found.actor;
        c.set('credentialValid', found.valid);
        c.set('credentialExpiresAt', found.expiresAt);
      } else if (cookie) {
        if ('refused' in cookie) return refused(c, ip, undefined, cookie.refused);
        actor = cookie.actor;
        c.set('credentialValid', cookie.valid);
        c.set('credentialExpiresAt', cookie.expiresAt);
      } else if (await localAllowed()) {
        actor = LOCAL_ACTOR;
        c.set('credentialValid', localAllowed);
      } else {
        return refuse(
          c,
          ip,
          undefined,
          lapsedSaid && options.zeroConfig
            ? `Missing credentials. ${LAPSED_KEYS_MESSAGE}`
            : options.zeroConfig
              ? 'Missing credentials: this server has API keys, so requests without one are refused (zero-config local access ends once the first key exists). Send Authorization: Bearer <API key> (ag: --token or AEGIS_AUTH_TOKEN). No admin key at hand? Restart the server with AEGIS_AUTH_TOKEN set to a random secret of at least 16 characters: that is a bootstrap admin token; use it to create a new admin key (`ag keys create --name admin --role admin --token <it>`).'
              : 'Missing credentials; send Authorization: Bearer <API key> (an admin creates keys with `ag keys create`).',
        );
      }
    }
    c.set('actor', actor);

    // Before anything can refuse the request (404, 403): denied and unknown requests count against
    // the caller's rate like the rest, so they cannot be sent (and audited) without bound.
    // A request another node forwarded was counted where it arrived.
    const rate = c.get('peer') ? { ok: true, retryAfterSec: 0 } : await countRequest(actor.id ?? 'local');
    if (!rate.ok) {
      return rateLimited(
        c,
        `More than ${options.limits.requestsPerMinute} requests a minute from this key; slow down.`,
        rate.retryAfterSec,
      );
    }

    if (!op) {
      return errorResponse(
        c,
        new AegisError('NOT_FOUND', `No route for ${c.req.method} ${path}; see /v1/openapi.json.`),
      );
    }
    if (rule === undefined) {
      return errorResponse(
        c,
        new AegisError(
          'FORBIDDEN',
          `Operation ${op.operationId} has no permission rule, so it is denied; add it to PERMISSIONS in packages/server/src/auth/permissions.ts.`,
          { details: { operationId: op.operationId } },
        ),
      );
    }
    if (!isAllowed(rule, actor.role)) {
      return errorResponse(
        c,
        new AegisError(
          'FORBIDDEN',
          `Role ${actor.role ?? '(none)'} may not call ${op.operationId}; it needs one of: ${(rule as readonly string[]).join(', ')}.`,
          { details: { operationId: op.operationId, role: actor.role ?? null } },
        ),
      );
    }

    return next();
  };
}
