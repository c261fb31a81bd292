import {
  AegisApiError,
  AegisClient,
  type Person,
  type Session,
  type StreamOptions,
  type Whoami,
} from '@aegis/client';
import { useEffect, useState } from 'react';
import { t } from './i18n/index.js';
import { allNumberedPages } from './lib/paging.js';

const params = new URLSearchParams(globalThis.location?.search ?? '');
/** The API origin: `?api=<url>` (e.g. a server on another port), else the page's own origin. */
export const apiBase = (params.get('api') ?? globalThis.location?.origin ?? 'http://127.0.0.1:9100').replace(
  /\/+$/,
  '',
);

const TOKEN_KEY = 'aegis.apiKey';

function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The CSRF token of a dashboard SSO sign-in (an HTTP-only cookie), from `GET /v1/auth/whoami`. */
let csrf: string | undefined;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Same-origin requests carry the SSO cookie by themselves; mutating ones also need the CSRF header. */
const csrfFetch: typeof fetch = async (input, init) => {
  if (!readToken() && MUTATING.has((init?.method ?? 'GET').toUpperCase())) {
    if (csrf === undefined) await probeMe();
    if (csrf) {
      const headers = new Headers(init?.headers);
      headers.set('x-aegis-csrf', csrf);
      return fetch(input, { ...init, headers });
    }
  }
  return fetch(input, init);
};

function makeClient(): AegisClient {
  const token = readToken();
  return new AegisClient({ baseUrl: apiBase, fetch: csrfFetch, ...(token ? { token } : {}) });
}

let client = makeClient();

/** The shared client. The API key (when auth is on) lives in sessionStorage: this tab only. */
export function api(): AegisClient {
  return client;
}

export function setApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(TOKEN_KEY, key);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the key lasts until reload */
  }
  client = makeClient();
  access = undefined;
  cluster = undefined;
  me = undefined;
  people = undefined;
  globalThis.dispatchEvent?.(new Event('aegis:auth'));
}

/**
 * How an event stream authenticates. With an API key, every (re)connection mints a single-use,
 * stream-scoped SSE token (`POST /v1/auth/sse-token`) and sends it as `?token=`: the key itself
 * never goes in a URL. Without a key (loopback, no keys) the stream needs no credential.
 */
export function streamAuth(sessionId?: string): Pick<StreamOptions, 'sseToken'> {
  if (!hasApiKey()) return {};
  const c = client;
  return {
    sseToken: () => c.createSseToken(sessionId ? { sessionId } : {}).then((t) => t.token),
  };
}

/** Who the dashboard is signed in as (`undefined` while unknown or signed out). */
let me: Promise<Whoami | undefined> | undefined;
export function probeMe(): Promise<Whoami | undefined> {
  me ??= client.getWhoami().then(
    (w) => {
      csrf = w.via === 'cookie' ? (w.csrfToken ?? undefined) : undefined;
      return w;
    },
    () => undefined,
  );
  return me;
}

export function useMe(): Whoami | undefined {
  return useProbe(probeMe, undefined);
}

/** Whether the server offers "Sign in with SSO" (OIDC with a client secret). */
let sso: Promise<boolean> | undefined;
export function probeSso(): Promise<boolean> {
  sso ??= client.getOidcSettings().then(
    (s) => s.sso,
    () => false,
  );
  return sso;
}
export function useSso(): boolean {
  return useProbe(probeSso, false);
}

/** Where "Sign in with SSO" goes: the server runs the sign-in and comes back to this page. */
export function ssoLoginUrl(): string {
  const here = `${globalThis.location?.pathname ?? '/dashboard/'}${globalThis.location?.search ?? ''}`;
  return `${apiBase}/auth/oidc/login?returnTo=${encodeURIComponent(here)}`;
}

/** Ends the SSO sign-in (the server forgets it and clears the cookie). */
export async function ssoSignOut(): Promise<void> {
  await probeMe();
  await fetch(`${apiBase}/auth/oidc/logout`, {
    method: 'POST',
    headers: csrf ? { 'x-aegis-csrf': csrf } : {},
  });
  csrf = undefined;
}

/** Owner ids of people (`oidc:<subject>`) → "Name <email>"; admins learn everyone seen, others themselves. */
let people: Promise<Map<string, Person>> | undefined;
function probePeople(): Promise<Map<string, Person>> {
  people ??= Promise.all([client.listPeople().catch(() => ({ people: [] as Person[] })), probeMe()]).then(
    ([list, self]) => {
      const map = new Map(list.people.map((p) => [p.id, p]));
      if (self?.kind === 'person' && !map.has(self.id)) {
        map.set(self.id, {
          id: self.id,
          subject: self.subject ?? '',
          email: self.email,
          name: self.name,
          role: self.role,
          lastSeenAt: '',
        });
      }
      return map;
    },
  );
  return people;
}
export function usePeople(): Map<string, Person> {
  return useProbe(probePeople, EMPTY_PEOPLE);
}
const EMPTY_PEOPLE = new Map<string, Person>();

/** A probe's answer, asked again when the credential changes (`aegis:auth`). */
function useProbe<T>(probe: () => Promise<T>, initial: T): T {
  const [v, setV] = useState<T>(initial);
  useEffect(() => {
    let live = true;
    const load = () => void probe().then((x) => live && setV(x));
    load();
    window.addEventListener('aegis:auth', load);
    return () => {
      live = false;
      window.removeEventListener('aegis:auth', load);
    };
  }, [probe]);
  return v;
}

export type Access = 'admin' | 'notAdmin' | 'signedOut' | 'unknown';
let access: Promise<Access> | undefined;

/**
 * Whether the current credential is an admin's: probes `GET /v1/auth/keys` (admin only) once per
 * key. There is no "who am I" route; a 403 means a non-admin key, a 401 no (valid) key.
 */
export function probeAccess(): Promise<Access> {
  access ??= client.listApiKeys().then(
    () => 'admin' as const,
    (err: unknown) =>
      err instanceof AegisApiError
        ? err.status === 403
          ? ('notAdmin' as const)
          : err.status === 401
            ? ('signedOut' as const)
            : ('unknown' as const)
        : ('unknown' as const),
  );
  return access;
}

export function useAccess(): Access {
  const [a, setA] = useState<Access>('unknown');
  useEffect(() => {
    let live = true;
    const load = () => void probeAccess().then((x) => live && setA(x));
    load();
    window.addEventListener('aegis:auth', load);
    return () => {
      live = false;
      window.removeEventListener('aegis:auth', load);
    };
  }, []);
  return a;
}

/** Whether the server is a node of a cluster (several servers on one PostgreSQL database), and which. */
export interface ClusterInfo {
  clustered: boolean;
  self: string | null;
}
const SINGLE: ClusterInfo = { clustered: false, self: null };
let cluster: Promise<ClusterInfo> | undefined;

/**
 * Asks `GET /v1/nodes` once per key. A failed probe counts as "not clustered" for now and is not
 * kept, so the next page that asks tries again.
 */
export function probeCluster(): Promise<ClusterInfo> {
  cluster ??= client.listNodes().then(
    (r) => ({ clustered: r.clustered, self: r.self }),
    () => {
      cluster = undefined;
      return SINGLE;
    },
  );
  return cluster;
}

export function useCluster(): ClusterInfo {
  const [c, setC] = useState<ClusterInfo>(SINGLE);
  useEffect(() => {
    let live = true;
    const load = () => void probeCluster().then((x) => live && setC(x));
    load();
    window.addEventListener('aegis:auth', load);
    return () => {
      live = false;
      window.removeEventListener('aegis:auth', load);
    };
  }, []);
  return c;
}

/**
 * Tries `key` against the server before keeping it: `null` when it is accepted (a 403 still means
 * a valid key, one of a narrower role), else a message saying what went wrong.
 */
export async function checkApiKey(key: string): Promise<string | null> {
  try {
    await new AegisClient({ baseUrl: apiBase, token: key }).listSessions({ limit: 1 });
    return null;
  } catch (err) {
    if (isForbidden(err)) return null;
    if (isUnauthorized(err)) return t('login.rejected');
    return errorMessage(err);
  }
}

export function isForbidden(err: unknown): boolean {
  return err instanceof AegisApiError && err.status === 403;
}

export function hasApiKey(): boolean {
  return readToken() !== undefined;
}

export function isUnauthorized(err: unknown): boolean {
  return err instanceof AegisApiError && (err.status === 401 || err.code === 'UNAUTHORIZED');
}

export function errorMessage(err: unknown): string {
  if (err instanceof AegisApiError) return `${err.message} (${err.code})`;
  if (err instanceof TypeError) return t('error.unreachable', { api: apiBase, why: err.message });
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Every session, following pages (the API caps a page at 100) until the server's `total`.
 * `truncated` is true only if the page guard ran out first; the pages say so to the user.
 */
export async function listAllSessions(): Promise<{ sessions: Session[]; total: number; truncated: boolean }> {
  const c = client;
  const res = await allNumberedPages(async (page) => {
    const r = await c.listSessions({ page, limit: 100 });
    return { items: r.sessions, total: r.total };
  });
  return { sessions: res.items, total: res.total, truncated: res.truncated };
}
