import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Actor, AegisError } from '@aegis/core';
import { type Context, Hono } from 'hono';
import type * as OpenId from 'openid-client';
import { errorResponse } from '../http-errors.js';
import type { CookieCheck } from './credentials.js';
import type { OidcAuth } from './oidc.js';

/** The dashboard's sign-in cookie (HTTP-only, SameSite=Lax). */
export const SESSION_COOKIE = 'aegis_session';
const STATE_COOKIE = 'aegis_sso_state';
/** Header a cookie-authenticated mutating request must carry (the token from GET /v1/auth/whoami). */
export const CSRF_HEADER = 'x-aegis-csrf';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1000;
const MAX_SESSIONS = 10_000;

interface SsoSession {
  actor: Actor;
  csrf: string;
  /** When the token behind it expires (then it is refreshed, or the sign-in ends). */
  tokenExpiresAt: number;
  refreshToken: string | undefined;
  /** The sign-in ends at this time whatever the refreshes (`oidc.sessionMaxAgeSeconds`). */
  endsAt: number;
  idToken: string | undefined;
}

interface Pending {
  verifier: string;
  nonce: string;
  returnTo: string;
  redirectUri: string;
  at: number;
}

/** openid-client loads with the first sign-in: a server without OIDC never needs it. */
const openIdClient = () => import('openid-client');
const random = () => randomBytes(32).toString('base64url');
const digest = (v: string) => createHash('sha256').update(v).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

function setCookie(c: Context, name: string, value: string, maxAgeSec: number) {
  c.header(
    'Set-Cookie',
    `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSec}${isHttps(c) ? '; Secure' : ''}`,
    { append: true },
  );
}

/** Only back into the dashboard: never an open redirect. */
const safeReturn = (to: string | undefined) =>
  to && /^\/dashboard(\/[^\\]*)?$/.test(to) && !to.startsWith('//') ? to : '/dashboard/';

/**
 * Dashboard single sign-on: the authorization-code flow with PKCE run by the server (the client
 * secret never reaches the browser), then an HTTP-only session cookie. Sessions live in memory:
 * a restart signs everyone out of the dashboard (API tokens and keys are unaffected).
 */
export function ssoSessions(
  oidc: OidcAuth,
  options: { onPerson?: (actor: Actor) => void; now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, SsoSession>();
  const pending = new Map<string, Pending>();
  const tokenOf = (t: { access_token: string; id_token?: string | undefined }) =>
    oidc.config.tokenType === 'id' ? t.id_token : t.access_token;

  const prune = () => {
    const t = now();
    for (const [k, p] of pending) if (t - p.at > PENDING_TTL_MS) pending.delete(k);
    for (const [k, s] of sessions) if (s.endsAt <= t) sessions.delete(k);
    while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as string);
    while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
  };

  /** Refreshes the session's token with its refresh token; false when that is not possible. */
  const refresh = async (s: SsoSession): Promise<boolean> => {
    if (!s.refreshToken) return false;
    try {
      const tokens = await (await openIdClient()).refreshTokenGrant(await oidc.webClient(), s.refreshToken);
      const token = tokenOf(tokens);
      const check = token ? await oidc.verify(token) : undefined;
      if (!check?.ok) return false;
      s.actor = check.actor;
      s.tokenExpiresAt = check.expiresAt;
      s.refreshToken = tokens.refresh_token ?? s.refreshToken;
      options.onPerson?.(check.actor);
      return true;
    } catch {
      return false;
    }
  };

  /** The signed-in session a request's cookie names (refreshed when its token has expired). */
  const live = async (cookieHeader: string | undefined): Promise<[string, SsoSession] | undefined> => {
    const id = cookieOf(cookieHeader, SESSION_COOKIE);
    const s = id ? sessions.get(id) : undefined;
    if (!id || !s) return undefined;
    if (s.endsAt <= now() || (s.tokenExpiresAt <= now() && !(await refresh(s)))) {
      sessions.delete(id);
      return undefined;
    }
    return [id, s];
  };

  /** For the auth gate: the actor of the request's sign-in cookie, with the CSRF check. */
  const check = async (c: Context): Promise<CookieCheck | undefined> => {
    const found = await live(c.req.header('cookie'));
    if (!found) return undefined;
    const [id, s] = found;
    if (MUTATING.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !sameSecret(sent, s.csrf)) {
        return {
          refused: {
            status: 403,
            message: `A request signed in by the dashboard cookie must carry the ${CSRF_HEADER} header with the csrfToken from GET /v1/auth/whoami (CSRF protection).`,
            details: { reason: 'csrf' },
          },
        };
      }
    }
    return {
      actor: s.actor,
      expiresAt: Math.min(s.endsAt, s.tokenExpiresAt),
      valid: async () => sessions.get(id) === s && s.endsAt > now(),
    };
  };

  const routes = new Hono();
  routes.get('/auth/oidc/login', async (c) => {
    if (!oidc.config.clientSecret) {
      return errorResponse(
        c,
        new AegisError(
          'NOT_FOUND',
          'Dashboard SSO is off: set AEGIS_OIDC_CLIENT_SECRET (with AEGIS_OIDC_ISSUER and AEGIS_OIDC_CLIENT_ID) to turn it on.',
        ),
      );
    }
    let config: OpenId.Configuration;
    try {
      config = await oidc.webClient();
    } catch (err) {
      return errorResponse(
        c,
        new AegisError(
          'NODE_UNAVAILABLE',
          `The identity provider ${oidc.config.issuer} cannot be reached (${(err as Error).message}); try again shortly, or sign in with an API key.`,
        ),
      );
    }
    prune();
    const client = await openIdClient();
    const state = random();
    const p: Pending = {
      verifier: client.randomPKCECodeVerifier(),
      nonce: client.randomNonce(),
      returnTo: safeReturn(c.req.query('returnTo')),
      redirectUri: new URL('/auth/oidc/callback', c.req.url).toString(),
      at: now(),
    };
    pending.set(state, p);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: p.redirectUri,
      scope: oidc.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: 'S256',
      state,
      nonce: p.nonce,
    });
    setCookie(c, STATE_COOKIE, state, PENDING_TTL_MS / 1000);
    return c.redirect(url.toString(), 302);
  });

  routes.get('/auth/oidc/callback', async (c) => {
    const state = c.req.query('state') ?? '';
    const p = pending.get(state);
    const bound = cookieOf(c.req.header('cookie'), STATE_COOKIE);
    const fail = (message: string, status: 400 | 403 = 400) =>
      c.html(
        `<!doctype html><title>Sign-in failed</title><p>${message.replace(/</g, '&lt;')}</p><p><a href="/dashboard/">Back to the dashboard</a></p>`,
        status,
      );
    if (!p || !bound || !sameSecret(bound, state)) {
      return fail(
        'This sign-in link is unknown, expired or was started in another browser; start again from the dashboard.',
      );
    }
    pending.delete(state);
    if (c.req.query('error'))
      return fail(`The identity provider refused the sign-in: ${c.req.query('error')}.`);
    let tokens: Awaited<ReturnType<typeof OpenId.authorizationCodeGrant>>;
    try {
      const current = new URL(c.req.url);
      const callback = new URL(p.redirectUri);
      callback.search = current.search;
      tokens = await (await openIdClient()).authorizationCodeGrant(await oidc.webClient(), callback, {
        pkceCodeVerifier: p.verifier,
        expectedState: state,
        expectedNonce: p.nonce,
      });
    } catch (err) {
      return fail(`The sign-in could not be completed: ${(err as Error).message}`);
    }
    const token = tokenOf(tokens);
    const verified = token ? await oidc.verify(token) : undefined;
    if (!verified?.ok) {
      return fail(
        verified?.message ?? 'The identity provider returned no token to check.',
        verified?.status === 403 ? 403 : 400,
      );
    }
    options.onPerson?.(verified.actor);
    const id = random();
    sessions.set(id, {
      actor: verified.actor,
      csrf: random(),
      tokenExpiresAt: verified.expiresAt,
      refreshToken: tokens.refresh_token,
      endsAt: now() + oidc.config.sessionMaxAgeSeconds * 1000,
      idToken: tokens.id_token,
    });
    setCookie(c, STATE_COOKIE, '', 0);
    setCookie(c, SESSION_COOKIE, id, oidc.config.sessionMaxAgeSeconds);
    return c.redirect(p.returnTo, 302);
  });

  routes.post('/auth/oidc/logout', async (c) => {
    const id = cookieOf(c.req.header('cookie'), SESSION_COOKIE);
    const s = id ? sessions.get(id) : undefined;
    if (s) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !sameSecret(sent, s.csrf)) {
        return errorResponse(
          c,
          new AegisError(
            'FORBIDDEN',
            `Sign-out needs the ${CSRF_HEADER} header (the csrfToken from GET /v1/auth/whoami).`,
            {
              details: { reason: 'csrf' },
            },
          ),
        );
      }
      sessions.delete(id as string);
    }
    setCookie(c, SESSION_COOKIE, '', 0);
    return c.json({ signedOut: s !== undefined }, 200);
  });

  return {
    check,
    routes,
    /** The CSRF token of the sign-in a Cookie header names (for GET /v1/auth/whoami). */
    csrfOf: (cookieHeader: string | undefined) => {
      const id = cookieOf(cookieHeader, SESSION_COOKIE);
      return id ? sessions.get(id)?.csrf : undefined;
    },
    get size() {
      return sessions.size;
    },
  };
}
export type SsoSessions = ReturnType<typeof ssoSessions>;
