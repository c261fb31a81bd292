import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bubblewrapRuntime } from '@aegis/acp-runtime';
import { AegisError, type AegisStore, type AgentDriver, createAegis, createRulePolicy } from '@aegis/core';
import { serve } from '@hono/node-server';
import { defaultMaxResidentAgents } from './agent-capacity.js';
import { createAgentDriver } from './agent-driver.js';
import { createApp } from './app.js';
import { startWebhooks } from './audit/webhooks.js';
import { apiKeyService } from './auth/api-keys.js';
import { LAPSED_KEYS_MESSAGE, ZERO_CONFIG_BACK_MESSAGE } from './auth/credentials.js';
import { loadChannelStarters, startChannels } from './channels/service.js';
import { resolveConfig, type ServerConfig, type ServerConfigInput, sessionStoreOf } from './config.js';
import { configFromEnv } from './config-env.js';
import { openConfiguredStore } from './configured-store.js';
import { freeAbandonedIdempotencyKeys } from './idempotency.js';
import { createLogger, type Logger, redactArgs } from './logger.js';
import { answerMalformedRequests } from './malformed-requests.js';
import { nodeAddressOf, nodeIdOf } from './node-identity.js';
import { SERVER_TRACER_NAME } from './request-tracing.js';
import { agentCommandsFor, configSummary } from './routes/server-info.js';
import { startRoutineScheduler } from './routine-scheduler.js';
import { resolveSandbox } from './sandbox-policy.js';
import { startupWarnings } from './startup-warnings.js';
import { acquireStateLock, describeHolder, type StateLock } from './state-lock.js';
import { type RunningTracing, startTracing } from './tracing.js';
import { keyBudgetOf } from './usage-config.js';
import { VERSION } from './version.js';
import { checkWorkDir, workDirRoots } from './workdir.js';

export interface StartServerOptions {
  /** Configuration; merged over the environment (`AEGIS_*`). */
  config?: Partial<ServerConfigInput>;
  /** Skip reading `AEGIS_*` from the environment (tests). */
  ignoreEnv?: boolean;
  /** Inject a driver instead of the ACP runtime (tests, embedding). */
  driver?: AgentDriver;
  store?: AegisStore;
  logger?: Logger;
  /** More start-up warnings to log beside the server's own (e.g. config-file keys the CLI ignored). */
  warnings?: string[];
}

export interface RunningServer {
  url: string;
  port: number;
  config: ServerConfig;
  app: ReturnType<typeof createApp>;
  aegis: ReturnType<typeof createAegis>;
  /** The OpenTelemetry SDK exporting this server's spans; `null` while tracing is off. */
  tracing: RunningTracing | null;
  /** Stops the server and every agent; live sessions stay resumable. Resolves with how many. */
  close(): Promise<{ suspended: number }>;
}

/** The dashboard build copied into this package at build time (scripts/copy-dashboard.mjs). */
const BUNDLED_DASHBOARD = fileURLToPath(new URL('./dashboard', import.meta.url));

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts the Aegis HTTP server (default 127.0.0.1:9100) with the configured store and the ACP
 * runtime. A server that opens its own database holds the state dir's lock (`server.lock`, see
 * state-lock.ts) from before it opens the database until `close()`: a second server on the same
 * state dir is refused with a CONFLICT naming the first.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options.ignoreEnv ? {} : configFromEnv(), options.config);
  const logger = options.logger ?? createLogger(config.logLevel);
  mkdirSync(config.stateDir, { recursive: true });
  const lock = !options.store && config.dbPath !== ':memory:' ? acquireStateLock(config.stateDir) : null;
  if (lock?.tookOver) {
    logger.warn('took over the state dir lock of a server that is gone', {
      stateDir: config.stateDir,
      previous: describeHolder(lock.tookOver.info),
      why: lock.tookOver.why,
    });
  }
  let tracing: RunningTracing | null = null;
  try {
    tracing = await startTracing(config.tracing, { version: VERSION, instanceId: config.cluster.nodeId });
    if (tracing)
      logger.info('tracing: spans are exported over OTLP/HTTP', {
        url: tracing.url,
        protocol: config.tracing.protocol,
      });
    return await startLocked(options, config, logger, lock, tracing);
  } catch (err) {
    await tracing?.shutdown().catch(() => {});
    lock?.release();
    throw err;
  }
}

async function startLocked(
  options: StartServerOptions,
  config: ServerConfig,
  logger: Logger,
  lock: StateLock | null,
  tracing: RunningTracing | null,
): Promise<RunningServer> {
  const opened = options.store ? undefined : await openConfiguredStore(config);
  const store = options.store ?? (opened?.store as AegisStore);
  const loopback = LOOPBACK.has(config.host);
  const keys = apiKeyService(store.apiKeys);
  if (!loopback && !config.authToken && !config.oidc && !(await keys.hasActiveKeys())) {
    if (!options.store) await store.close();
    throw new AegisError(
      'FORBIDDEN',
      `Refusing to listen on ${config.host} without credentials: anyone who reaches the API controls this host. Create an admin key first (start \`ag serve\` on 127.0.0.1, run \`ag keys create --name admin --role admin\`, restart with --host), or set AEGIS_AUTH_TOKEN to a bootstrap admin token (at least 16 characters, e.g. \`openssl rand -hex 32\`), or let people sign in with your identity provider (AEGIS_OIDC_ISSUER, AEGIS_OIDC_CLIENT_ID; docs/oidc.md).`,
    );
  }
  if (loopback && !config.authToken && (await keys.keyState()) === 'lapsed') {
    logger.warn(config.zeroConfigAfterKeys ? ZERO_CONFIG_BACK_MESSAGE : LAPSED_KEYS_MESSAGE, {
      zeroConfig: config.zeroConfigAfterKeys,
    });
  }
  const sandboxRuntime = bubblewrapRuntime();
  const driver = options.driver ?? createAgentDriver(config, store, logger, sandboxRuntime);
  const roots = workDirRoots(config.allowedWorkDirs, config.stateDir);
  const policies = createRulePolicy(config.policies);
  // On the shared store every server is a node of a cluster (one alone is a cluster of one): it
  // owns its sessions through leases and takes over those of nodes that stop.
  const clustered = !!store.cluster && (!options.store || sessionStoreOf(config) === 'postgres');
  const nodeId = clustered ? nodeIdOf(config) : null;
  const claimPrefix = await freeAbandonedIdempotencyKeys(store, { nodeId, holdsStateDir: !!lock }, logger);
  const aegis = createAegis({
    agent: driver,
    store,
    tracerProvider: tracing?.tracerProvider,
    policy: policies.policy,
    stallThresholdMs: config.stallThresholdMs,
    promptTimeoutMs: config.promptTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    idleEvictMs: config.sessions.idleEvictMs,
    maxResidentAgents: config.sessions.maxResidentAgents ?? defaultMaxResidentAgents(),
    storeHoldMs: config.storeHoldMs,
    storeHoldBytes: config.storeHoldBytes,
    prices: config.usage.prices,
    keyBudget: (ownerId) => keyBudgetOf(config.usage, ownerId),
    defaultPermissionMode: config.permissionMode,
    permissionModesFor: (actor) => (actor.role === 'operator' ? config.operatorPermissionModes : undefined),
    resolveWorkDir: async (dir) => checkWorkDir(dir, roots),
    resolveSandbox: (requested) =>
      resolveSandbox(requested, {
        mode: config.sandbox.mode,
        allowedHosts: config.sandbox.allowedHosts,
        stateDir: config.stateDir,
        checkWritable: async (p) => checkWorkDir(p, roots),
        available: () => sandboxRuntime.check(),
      }),
    onError: (err, context) =>
      logger.error(context, { error: err instanceof Error ? err.message : String(err) }),
    cluster: nodeId
      ? {
          nodeId,
          // The port may be 0 (any): the node joins once listening, when its address is known.
          address: () => nodeAddress,
          leaseMs: config.cluster.leaseMs,
          version: VERSION,
        }
      : undefined,
  });
  let nodeAddress = nodeAddressOf(config);
  const recover = async () => {
    const recovered = await aegis.recover({ resume: config.resumeOnRestart });
    if (recovered.dormant.length > 0) {
      logger.info('sessions of a previous run are kept dormant; each resumes its agent on its next prompt', {
        count: recovered.dormant.length,
      });
    }
    if (recovered.crashed.length > 0) {
      logger.warn('marked sessions left live by a previous run as crashed', {
        count: recovered.crashed.length,
      });
    }
  };
  // A single server recovers before it serves. A cluster node joins once it listens (its address
  // may depend on the port it got); until then it answers 503 so no request runs half-joined.
  if (!nodeId) await recover();
  // Pipelines are run by the process that started them. On a cluster they are held under a lease
  // like sessions: a node takes its own back when it rejoins and goes on with those of a node that
  // stopped (see cluster.ts), so none is marked failed here.
  const failedPipelines = nodeId ? [] : await aegis.pipelines.recover();
  if (failedPipelines.length > 0) {
    logger.warn('marked pipelines left running by a previous run as failed', {
      count: failedPipelines.length,
    });
  }
  // jose and openid-client load only when OIDC is configured.
  const oidc = config.oidc
    ? (await import('./auth/oidc.js')).createOidcAuth(config.oidc, {
        onWarning: (msg, fields) => logger.warn(msg, fields),
      })
    : undefined;
  if (oidc && (await oidc.start())) {
    logger.info('people can sign in with the identity provider (OIDC)', {
      issuer: config.oidc?.issuer,
      sso: config.oidc?.clientSecret !== undefined,
    });
  }
  // Channels start before the app (their routes need them) and stop with the background services.
  // On a cluster one node at a time polls Telegram and delivers the outbox (the `channels` lease).
  const channels = startChannels(
    config.channels,
    { aegis, store, logger },
    {
      starters: await loadChannelStarters(config.channels),
      cluster:
        nodeId && store.cluster ? { store: store.cluster, leaseMs: config.cluster.leaseMs } : undefined,
    },
  );
  await channels.ready;
  const app = createApp({
    tracer: tracing?.tracerProvider.getTracer(SERVER_TRACER_NAME, VERSION),
    channels,
    channelSecrets: {
      telegramWebhook:
        config.channels.telegram?.mode === 'webhook' ? config.channels.telegram.webhookSecret : undefined,
      slackSigning: config.channels.slack?.signingSecret,
    },
    aegis,
    agents: driver.agents,
    dashboardDir: config.dashboardEnabled ? (config.dashboardDir ?? BUNDLED_DASHBOARD) : undefined,
    authToken: config.authToken,
    security: {
      apiKeys: store.apiKeys,
      audit: store.audit,
      zeroConfig: loopback && !config.authToken,
      strictRbac: config.strictRbac,
      oidc,
      zeroConfigAfterKeys: config.zeroConfigAfterKeys,
      onWarning: (msg, fields) => logger.warn(msg, fields),
      limits: config.limits,
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins,
      sseTokenTtlSeconds: config.sseTokenTtlSeconds,
      onError: (msg, fields) => logger.error(msg, fields),
      cluster: nodeId ? store.cluster : undefined,
    },
    bodyLimitBytes: config.bodyLimitBytes,
    eventStreams: config.eventStreams,
    idempotency: {
      store: store.idempotency,
      ttlMs: config.idempotency.ttlSeconds * 1000,
      waitMs: config.idempotency.waitMs,
      claimPrefix,
    },
    logger,
    policies,
    diagnostics: {
      stateDir: config.stateDir,
      dbPath:
        options.store || sessionStoreOf(config) !== 'sqlite'
          ? null
          : (config.dbPath ?? join(config.stateDir, 'aegis.db')),
      config: configSummary(config),
      agentCommands: Object.fromEntries(
        Object.entries(agentCommandsFor(driver.agents, config.agents)).map(([name, cmd]) => [
          name,
          'args' in cmd && Array.isArray(cmd.args) ? { ...cmd, args: redactArgs(cmd.args) } : cmd,
        ]),
      ),
    },
  });

  // What runs beside the API for as long as the server does (deliveries, schedulers): each is
  // stopped before the engine closes.
  const background: { close(): void | Promise<void> }[] = [
    startWebhooks(aegis, config.webhooks, {
      onError: (msg, fields) => logger.warn(msg, fields),
      tracer: tracing?.tracerProvider.getTracer(SERVER_TRACER_NAME, VERSION),
    }),
    channels,
  ];
  const stopBackground = () =>
    Promise.allSettled(background.map(async (b) => b.close())).then(() => undefined);

  let joined = !nodeId;
  const server = serve({
    fetch: (req, env) =>
      joined
        ? app.fetch(req, env)
        : Response.json(
            new AegisError(
              'NODE_UNAVAILABLE',
              'This node is starting (joining the cluster); retry in a moment.',
            ).toJSON(),
            { status: 503, headers: { 'retry-after': '1' } },
          ),
    hostname: config.host,
    port: config.port,
  });
  answerMalformedRequests(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? new AegisError(
                'CONFLICT',
                `Port ${config.port} on ${config.host} is in use; stop the other process or pass --port.`,
              )
            : err,
        );
      });
    });
  } catch (err) {
    // Nothing was served: stop what recovery and the background set up (sessions stay resumable).
    await stopBackground();
    await aegis.close().catch(() => {});
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  lock?.setUrl(url);
  if (nodeId) {
    if (!config.cluster.address) nodeAddress = nodeAddressOf({ ...config, port });
    try {
      await recover();
    } catch (err) {
      server.close();
      await stopBackground();
      await aegis.close().catch(() => {});
      throw err;
    }
    joined = true;
    logger.info('joined the cluster', {
      node: nodeId,
      address: nodeAddress,
      leaseMs: config.cluster.leaseMs,
    });
  }
  // Routines fire only once the node serves (on a cluster: has joined); every node runs a
  // scheduler, and the store makes sure each due time fires on one of them.
  background.push(
    startRoutineScheduler({
      aegis,
      apiKeys: store.apiKeys,
      audit: store.audit,
      admission: app.sessionAdmission,
      bootstrapToken: !!config.authToken,
      exclusive: !nodeId,
      logger,
    }),
  );
  for (const w of startupWarnings(config)) logger.warn(w.message, w.fields);
  for (const message of options.warnings ?? []) logger.warn(message);
  logger.info('Aegis listening', {
    url,
    stateDir: config.stateDir,
    store: opened?.location ?? 'injected',
    agents: driver.agents,
  });

  let closing: Promise<{ suspended: number }> | undefined;
  return {
    url,
    port,
    config,
    app,
    aegis,
    tracing,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await stopBackground();
        try {
          // A cluster node drains first: new sessions go elsewhere, running turns get a bound to finish.
          if (nodeId) await aegis.drain({ waitMs: config.cluster.drainMs }).catch(() => {});
          const { suspended } = await aegis.close();
          if (suspended > 0) {
            logger.info(
              'stopped the agents of live sessions; they stay resumable and resume on their next prompt',
              { count: suspended },
            );
          }
          return { suspended };
        } finally {
          await tracing
            ?.shutdown()
            .catch((err) =>
              logger.warn('tracing: could not export the last spans', { error: (err as Error).message }),
            );
          lock?.release();
        }
      })();
      return closing;
    },
  };
}
