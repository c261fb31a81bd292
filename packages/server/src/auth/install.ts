import {
  type Aegis,
  type ApiKeyStore,
  type AuditStore,
  createMemoryApiKeyStore,
  createMemoryAuditStore,
} from '@aegis/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import {
  auditBudgetEvents,
  auditIntentMiddleware,
  auditMiddleware,
  auditPolicyDecisions,
} from '../audit/audit-trail.js';
import { type PeerTrust, verifyPeers } from '../cluster-forward.js';
import type { OpenStreams } from '../open-streams.js';
import { auditRoutes } from '../routes/audit.js';
import { identityRoutes } from '../routes/identity.js';
import { keyRoutes } from '../routes/keys.js';
import { apiKeyService } from './api-keys.js';
import { type AuthLimits, authMiddleware, DEFAULT_LIMITS } from './authenticate.js';
import { hostOriginGuard } from './host-origin.js';
import type { OidcAuth } from './oidc.js';
import { operationMatcher } from './operations.js';
import { peopleDirectory } from './people.js';
import { sessionCapsMiddleware } from './session-caps.js';
import { sseTokenRegistry } from './sse-tokens.js';
import { ssoSessions } from './sso.js';

export interface SecurityOptions {
  /** Where keys live; default in memory. `startServer` passes the SQLite store's. */
  apiKeys?: ApiKeyStore | undefined;
  /** Where the audit chain lives; default in memory. */
  audit?: AuditStore | undefined;
  /**
   * Requests without credentials act as the local admin while no key exists. Default: true when
   * no `authToken` is set. `startServer` turns it on only when bound to a loopback address.
   */
  zeroConfig?: boolean | undefined;
  /**
   * Let zero-config access come back once every key has expired or been revoked. Default false:
   * once keys have existed, credentials are needed (recover with `AEGIS_AUTH_TOKEN`).
   */
  zeroConfigAfterKeys?: boolean | undefined;
  /**
   * `AEGIS_STRICT_RBAC`: no credential-less access at all, whatever the bind address or keys.
   */
  strictRbac?: boolean | undefined;
  /** People's sign-in with the identity provider (`AEGIS_OIDC_*`); `startServer` builds it from `oidc`. */
  oidc?: OidcAuth | undefined;
  /** Security warnings (every key lapsed) go here; `startServer` passes the logger's warn. */
  onWarning?: ((message: string, fields: Record<string, unknown>) => void) | undefined;
  limits?: Partial<AuthLimits> | undefined;
  /** Names besides loopback the server answers to while zero-config is on (DNS-rebinding guard). */
  allowedHosts?: readonly string[] | undefined;
  /** Browser origins besides the server's own that may call mutating routes. */
  allowedOrigins?: readonly string[] | undefined;
  sseTokenTtlSeconds?: number | undefined;
  onError?: ((message: string, fields: Record<string, unknown>) => void) | undefined;
  /**
   * On a cluster node (the shared store): request rates are counted in the database, across
   * nodes, and requests other nodes forward are recognised by their signature (not counted twice).
   */
  cluster?: ClusterLimits | undefined;
}

/** What the cluster store offers the security layer. */
export interface ClusterLimits extends PeerTrust {
  countRequest(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

/** Routes served outside the OpenAPI document that still need a rule. */
const UNDOCUMENTED_OPERATIONS = { 'GET /metrics': 'getMetrics' };

/**
 * Puts authentication, authorization, limits and the audit trail in front of every `/v1` route
 * and `/metrics`. Call before registering routes; mount the returned `routes` with the others.
 */
export function installSecurity(
  app: OpenAPIHono<AppEnv>,
  options: {
    aegis: Aegis | undefined;
    authToken?: string | undefined;
    security?: SecurityOptions | undefined;
    /** The open event streams, ended when the key that opened them is revoked or rotated. */
    streams: OpenStreams;
    openApiPaths: () => Record<string, Record<string, { operationId?: string }>>;
  },
) {
  const s = options.security ?? {};
  const audit = s.audit ?? createMemoryAuditStore();
  const keys = apiKeyService(s.apiKeys ?? createMemoryApiKeyStore());
  const sseTokens = sseTokenRegistry((s.sseTokenTtlSeconds ?? 60) * 1000);
  const onError = (err: unknown) =>
    s.onError?.('audit append failed', { error: err instanceof Error ? err.message : String(err) });
  let matcher: ReturnType<typeof operationMatcher> | undefined;
  /** Building the matcher renders the whole OpenAPI document (~200 ms): done once, up front. */
  const buildMatcher = () => (matcher ??= operationMatcher(options.openApiPaths(), UNDOCUMENTED_OPERATIONS));
  const zeroConfig = !s.strictRbac && (s.zeroConfig ?? !options.authToken);
  const people = peopleDirectory();
  const sso = s.oidc ? ssoSessions(s.oidc, { onPerson: people.seen }) : undefined;
  app.use(
    '*',
    hostOriginGuard({
      checkHost: zeroConfig,
      allowedHosts: s.allowedHosts,
      allowedOrigins: s.allowedOrigins,
    }),
  );
  const auth = authMiddleware({
    keys,
    sseTokens,
    bootstrapToken: options.authToken,
    zeroConfig,
    zeroConfigAfterKeys: s.zeroConfigAfterKeys,
    onWarning: s.onWarning,
    oidc: s.oidc,
    cookieSession: sso?.check,
    onPerson: people.seen,
    limits: { ...DEFAULT_LIMITS, ...s.limits },
    sharedRate: s.cluster
      ? {
          count: (key, windowMs) => (s.cluster as ClusterLimits).countRequest(key, windowMs),
          onError: (err) =>
            s.onError?.('counting a request in the shared database failed; counted on this node', {
              error: err instanceof Error ? err.message : String(err),
            }),
        }
      : undefined,
    matchOperation: (method, path) => buildMatcher()(method, path),
  });
  app.use('/v1/*', auditMiddleware({ audit, onError }));
  if (s.cluster) app.use('/v1/*', verifyPeers(s.cluster));
  app.use('/v1/*', auth);
  // After auth, before every route: the record of an authorized change is stored before it runs.
  app.use('/v1/*', auditIntentMiddleware({ audit, onError }));
  app.use('/metrics', auth);
  // The dashboard's SSO sign-in pages (browser redirects, outside the API description).
  if (sso) app.route('/', sso.routes);
  if (options.aegis) auditPolicyDecisions(options.aegis, { audit, onError });
  if (options.aegis) auditBudgetEvents(options.aegis, { audit, onError });
  const limits = { ...DEFAULT_LIMITS, ...s.limits };
  return {
    keys,
    audit,
    /** The concurrent-session caps: mount on `/v1/*` after anything that may answer without starting sessions. */
    sessionCaps: sessionCapsMiddleware({ aegis: options.aegis as Aegis, limits }),
    sseTokens,
    people,
    routes: () => [
      keyRoutes({ aegis: options.aegis as Aegis, keys, sseTokens, zeroConfig, streams: options.streams }),
      auditRoutes({ audit }),
      identityRoutes({ oidc: s.oidc, keys, people, csrfOf: (h) => sso?.csrfOf(h) }),
    ],
    /** Call once every route is registered, so the first request does not pay for the matcher. */
    warm: () => void buildMatcher(),
  };
}
