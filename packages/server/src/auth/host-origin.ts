import { AegisError } from '@aegis/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { errorResponse } from '../http-errors.js';

export interface HostOriginOptions {
  /**
   * Check the Host header: on when credential-less loopback access (zero-config) is possible, since
   * a DNS-rebinding page reaches 127.0.0.1 under its own name and would act as the local admin.
   */
  checkHost: boolean;
  /** Extra names the server answers to (`aegis.internal`, `aegis.internal:9100`), besides loopback. */
  allowedHosts?: readonly string[] | undefined;
  /** Extra browser origins allowed to call mutating routes (`http://localhost:5173`), besides the server's own. */
  allowedOrigins?: readonly string[] | undefined;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `host[:port]` → lower-cased hostname without brackets or port. */
function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** `localhost`, `127.0.0.0/8` and `::1`: names a rebinding attacker cannot point at the server. */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return !!m && m.slice(1).every((n) => Number(n) <= 255);
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = hostnameOf(host);
  if (isLoopbackHostname(name)) return true;
  return allowed.some((a) => {
    const entry = a.trim().toLowerCase();
    return entry === host.toLowerCase() || (!/:\d+$/.test(entry) && hostnameOf(entry) === name);
  });
}

const origin = (value: string) => value.trim().toLowerCase().replace(/\/+$/, '');

/**
 * Guards against DNS rebinding and cross-site requests from browsers:
 * - with `checkHost`, a request whose Host is neither a loopback name nor in `allowedHosts` is
 *   refused (403), so a page on `evil.example` re-pointed at 127.0.0.1 cannot use zero-config access;
 * - a mutating request (POST/PUT/PATCH/DELETE) from a browser page of another origin (its `Origin`,
 *   or `Sec-Fetch-Site: cross-site` without one) is refused (403) unless listed in `allowedOrigins`.
 *   The dashboard at `/dashboard/` is the server's own origin and passes.
 */
export function hostOriginGuard(options: HostOriginOptions): MiddlewareHandler<AppEnv> {
  const hosts = options.allowedHosts ?? [];
  const origins = new Set((options.allowedOrigins ?? []).map(origin));
  return async (c, next) => {
    const url = new URL(c.req.url);
    const host = c.req.header('host') ?? url.host;
    if (options.checkHost && !hostAllowed(host, hosts)) {
      return errorResponse(
        c,
        new AegisError(
          'FORBIDDEN',
          `Host "${host.slice(0, 200)}" is not a loopback name, and this server grants credential-less local access, so requests under other names are refused (DNS-rebinding protection). Use http://127.0.0.1:${url.port || 80}, or add the name to server.allowedHosts in .aegis/config.yaml (or AEGIS_ALLOWED_HOSTS, comma-separated).`,
          { details: { host: host.slice(0, 200) } },
        ),
      );
    }
    if (MUTATING.has(c.req.method)) {
      const from = c.req.header('origin');
      const crossSite = from === undefined && c.req.header('sec-fetch-site') === 'cross-site';
      let sameOrigin = false;
      if (from !== undefined && from !== 'null') {
        try {
          sameOrigin = new URL(from).host.toLowerCase() === host.toLowerCase();
        } catch {
          sameOrigin = false;
        }
      }
      if ((from !== undefined && !sameOrigin && !origins.has(origin(from))) || crossSite) {
        const shown = (from ?? 'cross-site').slice(0, 200);
        return errorResponse(
          c,
          new AegisError(
            'FORBIDDEN',
            `Cross-site request from origin "${shown}" refused: browser pages of other origins may not change anything here. If that origin is yours (e.g. a dashboard dev server), add it to server.allowedOrigins in .aegis/config.yaml (or AEGIS_ALLOWED_ORIGINS, comma-separated).`,
            { details: { origin: shown } },
          ),
        );
      }
    }
    return next();
  };
}
