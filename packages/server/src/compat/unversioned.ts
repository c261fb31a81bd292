import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * Paths the earlier Aegis documents use without `/v1` (`POST /sessions`, `GET /health`, …). Each is
 * served by the `/v1` route of the same path, as if the client had asked for it: same
 * authentication, permissions, limits, audit and answer.
 */
export const UNVERSIONED_PREFIXES = ['/sessions', '/health'] as const;

/**
 * Mounts the unversioned aliases. Call before any other middleware: the request is dispatched
 * again under `/v1`, and only that dispatch is logged, counted and audited.
 */
export function mountUnversionedAliases(app: OpenAPIHono<AppEnv>): void {
  const forward = (c: Context<AppEnv>) => {
    const url = new URL(c.req.url);
    url.pathname = `/v1${url.pathname}`;
    const raw = c.req.raw;
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD' && raw.body !== null;
    const init: RequestInit & { duplex?: 'half' } = {
      method: raw.method,
      headers: raw.headers,
      signal: raw.signal,
      ...(hasBody ? { body: raw.body, duplex: 'half' } : {}),
    };
    return app.fetch(new Request(url, init), c.env);
  };
  for (const prefix of UNVERSIONED_PREFIXES) {
    app.all(prefix, forward);
    app.all(`${prefix}/*`, forward);
  }
}
