import { AegisApiError, AegisClient, type Session, type StreamOptions } from '@aegis/client';
import { useEffect, useState } from 'react';
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

function makeClient(): AegisClient {
  const token = readToken();
  return new AegisClient({ baseUrl: apiBase, ...(token ? { token } : {}) });
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
    if (isUnauthorized(err))
      return 'Key rejected: the server did not accept this API key. Check that it was copied whole and has not been revoked or expired.';
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
  if (err instanceof TypeError) return `Cannot reach the API at ${apiBase}: ${err.message}`;
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
