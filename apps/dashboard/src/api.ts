import { AegisApiError, AegisClient, type Session } from '@aegis/client';

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

/** Every session, following pages (the API caps a page at 100). */
export async function listAllSessions(maxPages = 20): Promise<{ sessions: Session[]; total: number }> {
  const sessions: Session[] = [];
  let total = 0;
  for (let page = 1; page <= maxPages; page++) {
    const res = await client.listSessions({ page, limit: 100 });
    sessions.push(...res.sessions);
    total = res.total;
    if (sessions.length >= res.total || res.sessions.length === 0) break;
  }
  return { sessions, total };
}
