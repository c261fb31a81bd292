import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAcpDriver } from '@aegis/acp-runtime';
import { AegisError, type AegisStore, type AgentDriver, createAegis, createRulePolicy } from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { startWebhooks } from './audit/webhooks.js';
import { apiKeyService } from './auth/api-keys.js';
import { configFromEnv, resolveConfig, type ServerConfig, type ServerConfigInput } from './config.js';
import { createLogger, type Logger, redactArgs } from './logger.js';
import { agentCommandsFor, configSummary } from './routes/server-info.js';
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
}

export interface RunningServer {
  url: string;
  port: number;
  config: ServerConfig;
  app: ReturnType<typeof createApp>;
  aegis: ReturnType<typeof createAegis>;
  close(): Promise<void>;
}

/** The dashboard build copied into this package at build time (scripts/copy-dashboard.mjs). */
const BUNDLED_DASHBOARD = fileURLToPath(new URL('./dashboard', import.meta.url));

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the Aegis HTTP server (default 127.0.0.1:9100) with the SQLite store and the ACP runtime. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options.ignoreEnv ? {} : configFromEnv(), options.config);
  const logger = options.logger ?? createLogger(config.logLevel);
  mkdirSync(config.stateDir, { recursive: true });
  const store =
    options.store ?? createSqliteStore({ path: config.dbPath ?? join(config.stateDir, 'aegis.db') });
  const loopback = LOOPBACK.has(config.host);
  if (!loopback && !config.authToken && !(await apiKeyService(store.apiKeys).hasActiveKeys())) {
    if (!options.store) await store.close();
    throw new AegisError(
      'FORBIDDEN',
      `Refusing to listen on ${config.host} without credentials: anyone who reaches the API controls this host. Create an admin key first (start \`ag serve\` on 127.0.0.1, run \`ag keys create --name admin --role admin\`, restart with --host), or set AEGIS_AUTH_TOKEN to a bootstrap admin token (at least 16 characters, e.g. \`openssl rand -hex 32\`).`,
    );
  }
  const driver =
    options.driver ??
    createAcpDriver({
      agents: config.agents,
      defaultAgent: config.defaultAgent,
      extraEnv: config.agentEnv,
      pool: config.pool,
      pools: Object.fromEntries(
        Object.entries(config.agents).flatMap(([name, a]) => (a.pool ? [[name, a.pool]] : [])),
      ),
      poolCwd: config.stateDir,
      onError: (err, context) =>
        logger.error(context, { error: err instanceof Error ? err.message : String(err) }),
    });
  const roots = workDirRoots(config.allowedWorkDirs, config.stateDir);
  const policies = createRulePolicy(config.policies);
  const aegis = createAegis({
    agent: driver,
    store,
    policy: policies.policy,
    stallThresholdMs: config.stallThresholdMs,
    promptTimeoutMs: config.promptTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    storeHoldMs: config.storeHoldMs,
    storeHoldBytes: config.storeHoldBytes,
    defaultPermissionMode: config.permissionMode,
    permissionModesFor: (actor) => (actor.role === 'operator' ? config.operatorPermissionModes : undefined),
    resolveWorkDir: async (dir) => checkWorkDir(dir, roots),
    onError: (err, context) =>
      logger.error(context, { error: err instanceof Error ? err.message : String(err) }),
  });
  const recovered = await aegis.recover({ resume: config.resumeOnRestart });
  if (recovered.resumed.length > 0) {
    logger.warn('resumed sessions left live by a previous run (their agents reopened them)', {
      count: recovered.resumed.length,
    });
  }
  if (recovered.crashed.length > 0) {
    logger.warn('marked sessions left live by a previous run as crashed', {
      count: recovered.crashed.length,
    });
  }
  const failedPipelines = await aegis.pipelines.recover();
  if (failedPipelines.length > 0) {
    logger.warn('marked pipelines left running by a previous run as failed', {
      count: failedPipelines.length,
    });
  }
  const app = createApp({
    aegis,
    agents: driver.agents,
    dashboardDir: config.dashboardEnabled ? (config.dashboardDir ?? BUNDLED_DASHBOARD) : undefined,
    authToken: config.authToken,
    security: {
      apiKeys: store.apiKeys,
      audit: store.audit,
      zeroConfig: loopback && !config.authToken,
      limits: config.limits,
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins,
      sseTokenTtlSeconds: config.sseTokenTtlSeconds,
      onError: (msg, fields) => logger.error(msg, fields),
    },
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    policies,
    diagnostics: {
      stateDir: config.stateDir,
      dbPath: options.store ? null : (config.dbPath ?? join(config.stateDir, 'aegis.db')),
      config: configSummary(config),
      agentCommands: Object.fromEntries(
        Object.entries(agentCommandsFor(driver.agents, config.agents)).map(([name, cmd]) => [
          name,
          'args' in cmd && Array.isArray(cmd.args) ? { ...cmd, args: redactArgs(cmd.args) } : cmd,
        ]),
      ),
    },
  });

  const webhooks = startWebhooks(aegis, config.webhooks, {
    onError: (msg, fields) => logger.warn(msg, fields),
  });

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  // Requests Node rejects before any route sees them (oversized headers or URL, malformed HTTP) get
  // the same JSON error envelope as everything else instead of Node's bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? {
            code: 'PAYLOAD_TOO_LARGE',
            message: 'The request line or headers are too large (16 KiB at most).',
          }
        : { code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1.' },
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
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
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info('Aegis listening', { url, stateDir: config.stateDir, agents: driver.agents });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    config,
    app,
    aegis,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        webhooks.close();
        await aegis.close();
      })();
      return closing;
    },
  };
}
