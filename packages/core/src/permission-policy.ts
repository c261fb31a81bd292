import type { PermissionRequest } from './driver.js';
import type { Session } from './schemas.js';

/** What a policy says about one permission request. */
export type PermissionVerdict = {
  decision: 'allow' | 'deny' | 'ask';
  rule: string;
  scope?: 'once' | 'always';
};

/** Server-side policy: answers a permission request before a human is asked (`ask` or undefined defers). */
export type PermissionPolicy = (context: {
  session: Session;
  request: PermissionRequest;
}) => PermissionVerdict | undefined | Promise<PermissionVerdict | undefined>;

const STRICTNESS = { allow: 0, ask: 1, deny: 2 } as const;

/**
 * Combines the server's verdict with the session's own: the server's rules are a ceiling, so the
 * stricter verdict wins (deny over ask over allow) — a session `allow` never lifts a server `deny`
 * or `ask`, while a session may always be stricter. On a tie the server's rule decides, except that
 * two allows keep the session's (its scope is the narrower, more specific choice).
 */
export function strictestVerdict(
  server: PermissionVerdict | undefined,
  session: PermissionVerdict | undefined,
): { verdict: PermissionVerdict; source: 'server' | 'session' } | undefined {
  if (!server) return session && { verdict: session, source: 'session' };
  if (!session) return { verdict: server, source: 'server' };
  const a = STRICTNESS[server.decision];
  const b = STRICTNESS[session.decision];
  if (b > a || (a === b && server.decision === 'allow')) return { verdict: session, source: 'session' };
  return { verdict: server, source: 'server' };
}
