import type { Aegis } from '@aegis/core';
import {
  AegisError,
  createRulePolicy,
  JSON_MAX_DEPTH,
  jsonTextDepthExceeds,
  type RulePolicy,
} from '@aegis/core';
import type { Tracer } from '@opentelemetry/api';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AppEnv, newRouter, type RouteDeps, registeredPaths } from './app-env.js';
import { installSecurity, type SecurityOptions } from './auth/install.js';
import type { SessionAdmission } from './auth/session-caps.js';
import type { ChannelsService } from './channels/service.js';
import { forwardToOwner } from './cluster-forward.js';
import { mountUnversionedAliases } from './compat/unversioned.js';
import { dashboardRoutes } from './dashboard.js';
import {
  errorResponse,
  failureFields,
  type OperationPaths,
  operationPaths,
  toAegisError,
  withNextCall,
} from './http-errors.js';
import { type IdempotencyOptions, idempotencyMiddleware } from './idempotency.js';
import { createLogger, type Logger } from './logger.js';
import { type AegisMetrics, createMetrics } from './metrics.js';
import { DEFAULT_EVENT_STREAM_LIMITS, type EventStreamLimits, openStreams } from './open-streams.js';
import { type RequestTrace, traceRequest } from './request-tracing.js';
import { analyticsRoutes } from './routes/analytics.js';
import { batchRoutes } from './routes/batch.js';
import { channelRoutes } from './routes/channels.js';
import { compatRoutes } from './routes/compat.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { memoryRoutes } from './routes/memory.js';
import { nodeRoutes } from './routes/nodes.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { policyRoutes } from './routes/policies.js';
import { routineRoutes } from './routes/routines.js';
import { type DiagnosticsInfo, serverInfoRoutes } from './routes/server-info.js';
import { sessionBudgetRoutes } from './routes/session-budget.js';
import { sessionInsightRoutes } from './routes/session-insights.js';
import { sessionRoutes } from './routes/sessions.js';
import { templateRoutes } from './routes/templates.js';
import { usageRoutes } from './routes/usage.js';
import { VERSION } from './version.js';

export interface CreateAppOptions {
  /** Built dashboard assets to serve at `/dashboard/` (omit to serve none). */
  dashboardDir?: string | undefined;
  aegis: Aegis;
  agents: readonly string[];
  /** `AEGIS_AUTH_TOKEN`: a bootstrap admin credential (besides API keys). */
  authToken?: string | undefined;
  /** Key and audit stores, zero-config mode and limits (see docs/security.md). */
  security?: SecurityOptions | undefined;
  bodyLimitBytes?: number;
  heartbeatMs?: number;
  /** Event-stream limits: open streams per key, live buffer, blocked time (see docs/security.md). */
  eventStreams?: Partial<EventStreamLimits> | undefined;
  /**
   * Where request lines (info) and failures (error: 5xx answers, broken event streams) go, each
   * with the request id. Default: errors only, as JSON lines on stderr.
   */
  logger?: Logger | undefined;
  /** @deprecated Pass `logger`; when set, request lines go here instead of `logger.info`. */
  log?: (line: Record<string, unknown>) => void;
  /** Server-wide permission rules; pass the same object to `createAegis({ policy: rules.policy })`. */
  policies?: RulePolicy | undefined;
  /** Prometheus metrics; default: a registry fed from `aegis` events. */
  metrics?: AegisMetrics | undefined;
  /**
   * `Idempotency-Key` records and their lifetimes; `startServer` passes the store's `idempotency`
   * so servers sharing a database share keys. Default: in memory, 24 h.
   */
  idempotency?: IdempotencyOptions | undefined;
  /** State dir, db path, config summary and agent commands for GET /v1/diagnostics. */
  diagnostics?: DiagnosticsInfo | undefined;
  /** Telegram, Slack and email (GET /v1/channels and the channels' callbacks). */
  channels?: ChannelsService | undefined;
  /** Telegram webhook mode's secret token, and Slack's signing secret (interactivity). */
  channelSecrets?: { telegramWebhook?: string | undefined; slackSigning?: string | undefined } | undefined;
  /**
   * Records a span per request (parented by the caller's `traceparent`), and the engine calls made
   * while handling it run inside that span. Omit for none (tracing off costs nothing here).
   */
  tracer?: Tracer | undefined;
}

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Aegis API',
    version: VERSION,
    description:
      'Run Claude Code and other ACP agents as managed sessions. Every error response is `{ "error": { "code", "message", "details"? } }`. For clients written against the earlier Aegis documents, `/sessions…` and `/health` without `/v1` are served by the `/v1` operation of the same path (same authentication, limits, audit and answer); they are aliases, not separate operations (see docs/compatibility.md).',
  },
};

/** The Hono app with every route; `app.request()` drives it in-process. */
export function createApp(options: CreateAppOptions) {
  const app = newRouter();
  const logger = options.logger ?? createLogger('error');
  const logRequest = options.log ?? ((line: Record<string, unknown>) => logger.info('request', line));
  const eventStreams = { ...DEFAULT_EVENT_STREAM_LIMITS, ...options.eventStreams };
  // Revoking or rotating a key ends the streams it opened (routes/keys.ts).
  const streams = openStreams(eventStreams.perKey);
  const deps: RouteDeps = {
    logger,
    aegis: options.aegis,
    version: VERSION,
    startedAt: Date.now(),
    agents: options.agents,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    eventStreams,
    streams,
  };
  // `aegis` is absent when only the OpenAPI document is generated.
  const metrics = options.metrics ?? (options.aegis ? createMetrics(options.aegis) : undefined);
  // First: `/sessions…` and `/health` are dispatched again as `/v1/…` (docs/compatibility.md).
  mountUnversionedAliases(app);

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || globalThis.crypto.randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    let span: RequestTrace | undefined;
    if (options.tracer) {
      span = traceRequest(options.tracer, c.req.raw, requestId);
      await span.run(next);
    } else await next();
    // An event stream writes to Node's response itself (headers included) and returns hono's
    // "already sent" marker; setting a header here would replace that marker with a real response.
    if (!(c.env as { outgoing?: { headersSent?: boolean } } | undefined)?.outgoing?.headersSent) {
      // Set on the finished response in place: c.header() after a handler has answered copies the
      // whole response (~8% of a GET). Immutable headers (a response from fetch) still get the copy.
      try {
        c.res.headers.set('x-request-id', requestId);
      } catch {
        c.header('x-request-id', requestId);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.matchedRoutes.filter((r) => r.method !== 'ALL').at(-1)?.path ?? 'unmatched';
    metrics?.observeRequest(c.req.method, route, c.res.status, seconds);
    const traceId = span?.end(route, c.res.status);
    logRequest({
      requestId,
      ...(traceId ? { traceId } : {}),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  const limitBody = bodyLimit({
    maxSize: options.bodyLimitBytes ?? 1024 * 1024,
    onError: (c) =>
      errorResponse(
        c,
        new AegisError(
          'PAYLOAD_TOO_LARGE',
          `Request body exceeds ${options.bodyLimitBytes ?? 1024 * 1024} bytes.`,
        ),
      ),
  });
  // GET and HEAD carry no body; asking for one makes the Node adapter build a full web Request
  // with a body stream, which cost ~10% of a GET /v1/sessions.
  app.use('/v1/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  // JSON nested thousands deep overflows the stack of whatever walks it next (JSON.stringify, log
  // redaction, audit canonicalization): a 500. One linear scan of the text turns it into a 400.
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!(c.req.header('content-type') ?? '').includes('json')) return next();
    if (jsonTextDepthExceeds(await c.req.text())) {
      return errorResponse(
        c,
        new AegisError(
          'BAD_REQUEST',
          `The JSON body nests arrays/objects more than ${JSON_MAX_DEPTH} levels deep; flatten it.`,
          { details: { maxDepth: JSON_MAX_DEPTH } },
        ),
      );
    }
    return next();
  });
  // Rendering the document converts every zod schema (35–100 ms of CPU): done once, on the first
  // GET /v1/openapi.json. The auth matcher needs only each route's method, path and operationId,
  // which the registry holds as registered (the same paths the document gets), so start-up skips it.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  let documentJson: string | undefined;
  const openApi = () => {
    document ??= app.getOpenAPI31Document(OPENAPI_INFO);
    return document;
  };
  const security = installSecurity(app, {
    aegis: options.aegis,
    authToken: options.authToken,
    security: options.security,
    streams,
    openApiPaths: () => registeredPaths(app),
  });
  // After authentication (keys are per caller), before the caps: a retry of a create that succeeded
  // gets its first answer, not a 429 for the session it already started.
  app.use(
    '/v1/*',
    idempotencyMiddleware({ onError: (msg, fields) => logger.error(msg, fields), ...options.idempotency }),
  );
  app.use('/v1/*', security.sessionCaps);

  // On a cluster node: commands for sessions another node owns are answered by that node.
  app.use('/v1/*', forwardToOwner({ aegis: options.aegis, logger, trust: options.security?.cluster }));
  app.route('/', healthRoutes(deps, options.diagnostics));
  app.route('/', nodeRoutes(deps));
  // Before the session routes: DELETE /v1/sessions/batch must not match DELETE /v1/sessions/{id}.
  app.route('/', batchRoutes(deps));
  app.route('/', sessionRoutes(deps));
  app.route('/', sessionBudgetRoutes(deps));
  app.route('/', usageRoutes(deps));
  app.route('/', analyticsRoutes(deps));
  app.route('/', eventRoutes(deps));
  app.route('/', templateRoutes(deps));
  app.route('/', memoryRoutes(deps));
  app.route('/', pipelineRoutes(deps));
  app.route('/', routineRoutes(deps));
  app.route('/', sessionInsightRoutes(deps));
  app.route('/', channelRoutes(options.channels, options.channelSecrets));
  app.route('/', policyRoutes(options.policies ?? createRulePolicy()));
  app.route('/', serverInfoRoutes(deps, { metrics, diagnostics: options.diagnostics }));
  app.route('/', compatRoutes(deps, { metrics }));
  for (const routes of security.routes()) app.route('/', routes);
  if (options.dashboardDir) app.route('/', dashboardRoutes({ assetsDir: options.dashboardDir }));

  app.get('/v1/openapi.json', (c) => {
    documentJson ??= JSON.stringify(openApi());
    return c.body(documentJson, 200, { 'content-type': 'application/json' });
  });
  if (options.aegis) security.warm();

  app.notFound((c: Context) =>
    errorResponse(
      c,
      new AegisError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}; see /v1/openapi.json.`),
    ),
  );
  let where: OperationPaths | undefined;
  app.onError((err, c) => {
    // Core names the next operation (details.next); the answer says where it is.
    const e = withNextCall(toAegisError(err), (where ??= operationPaths(registeredPaths(app))));
    // 501 is an answer (a documented feature this server does not have), not a failure.
    if (e.status >= 500 && e.code !== 'NOT_IMPLEMENTED')
      logger.error('request failed', { ...failureFields(c, err, e), status: e.status });
    return errorResponse(c, e);
  });
  // The session caps, for what starts sessions outside a request (routines; see server.ts).
  return Object.assign(app, { sessionAdmission: security.sessionCaps as SessionAdmission });
}

export type AegisApp = ReturnType<typeof createApp>;
export type { AppEnv };
