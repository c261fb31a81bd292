import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { CLAUDE_CODE, claudeCodeSpec } from '@aegis/acp-runtime';
import { AegisError, describeUrl, SessionStatus } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { apiDocsRoutes } from '../api-docs.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { DOCUMENTED_CAPABILITIES, SUPPORTED_DOCUMENTED_CAPABILITIES } from '../compat/capabilities.js';
import { ownValue } from '../compat/own-value.js';
import { type ServerConfig, sessionStoreOf } from '../config.js';
import { errorResponses } from '../http-errors.js';
import type { AegisMetrics } from '../metrics.js';

/** The API protocol this server speaks, and the oldest client protocol it still serves. */
export const PROTOCOL_VERSION = 1;
export const MIN_CLIENT_PROTOCOL_VERSION = 1;
export const SERVER_CAPABILITIES = [
  'sessions',
  'sessions.reuse',
  'sessions.batch',
  'prompt.queue',
  'events.sse',
  'events.resume',
  'transcript',
  'transcript.cursor',
  'permissions',
  'permissions.policies',
  'permissions.modes',
  'questions',
  'escape',
  'interrupt',
  'models',
  'commands.discover',
  'insights',
  'metrics.prometheus',
  'diagnostics',
  'templates',
  'memory',
  'pipelines',
  'auth.api_keys',
  'auth.sse_token',
  'audit',
  'webhooks',
] as const;

/** How an agent is started, for diagnostics (never its environment: it may hold secrets). */
export interface AgentCommandInfo {
  command: string;
  args: string[];
}

export interface DiagnosticsInfo {
  stateDir: string | null;
  dbPath: string | null;
  /** A config summary with no secrets. */
  config: Record<string, unknown>;
  agentCommands: Record<string, AgentCommandInfo | { error: string }>;
}

export const HandshakeRequest = z
  .object({
    protocolVersion: z
      .union([
        z.number().int().min(0).max(1_000_000),
        z
          .string()
          .max(7)
          .regex(/^\d{1,7}$/, 'a whole number such as "1"'),
      ])
      .transform((v) => Number(v))
      .describe('A whole number; `"1"` (a string, as the earlier Aegis documents send it) works too'),
    clientCapabilities: z.array(z.string().max(100)).max(200).default([]),
  })
  .meta({ id: 'HandshakeRequest' });
export const HandshakeResponse = z
  .object({
    protocolVersion: z.number().int(),
    minProtocolVersion: z.number().int(),
    serverCapabilities: z
      .array(z.string())
      .describe("This server's capabilities, then the names of the earlier Aegis documents it supports"),
    negotiatedCapabilities: z.array(z.string()).describe('Capabilities both sides have'),
    warnings: z
      .array(z.string())
      .describe('One per client capability this server does not support (saying why, for documented ones)'),
    compatible: z.boolean(),
  })
  .meta({ id: 'HandshakeResponse' });

export const AgentAvailability = z
  .object({
    name: z.string(),
    command: z.string().nullable(),
    available: z.boolean().nullable().describe('The command (and script) resolve; null when unknown'),
    problem: z.string().nullable(),
  })
  .meta({ id: 'AgentAvailability' });

export const DiagnosticsResponse = z
  .object({
    version: z.string(),
    protocolVersion: z.number().int(),
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    pid: z.number().int(),
    uptimeSec: z.number(),
    memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
    activeResources: z
      .record(z.string(), z.number().int())
      .describe(
        "What keeps the server's event loop busy, by kind (Node's process.getActiveResourcesInfo): `Timeout` (timers), `TCPSocketWrap`, `ProcessWrap`, … A count that grows with every session created and ended is a leak.",
      ),
    storage: z.object({
      stateDir: z.string().nullable(),
      dbPath: z.string().nullable(),
      dbSizeBytes: z.number().nullable().describe('Database file plus its WAL'),
    }),
    sessions: z.object({
      live: z.number().int(),
      byState: z.record(SessionStatus, z.number().int()),
    }),
    agents: z.array(AgentAvailability),
    config: z.record(z.string(), z.unknown()).describe('Effective configuration, secrets left out'),
  })
  .meta({ id: 'DiagnosticsResponse' });

const handshakeRoute = createRoute({
  method: 'post',
  path: '/v1/handshake',
  operationId: 'handshake',
  summary: 'Negotiate protocol version and capabilities',
  description: `Send your protocol version and the capabilities you use. The answer lists the intersection and a warning for each capability the server does not know (and one when the client speaks a newer protocol than the server). 409 CONFLICT when \`protocolVersion\` is below ${MIN_CLIENT_PROTOCOL_VERSION}; upgrade the client.`,
  tags: ['Server'],
  request: { body: { content: { 'application/json': { schema: HandshakeRequest } }, required: true } },
  responses: {
    200: { description: 'Negotiated', content: { 'application/json': { schema: HandshakeResponse } } },
    ...errorResponses(400, 401, 409),
  },
});

const diagnosticsRoute = createRoute({
  method: 'get',
  path: '/v1/diagnostics',
  operationId: 'getDiagnostics',
  summary: 'Runtime, storage, sessions, agent availability and configuration (no secrets)',
  tags: ['Server'],
  responses: {
    200: { description: 'Diagnostics', content: { 'application/json': { schema: DiagnosticsResponse } } },
    ...errorResponses(401, 403),
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary: 'Prometheus metrics (text exposition format)',
  description:
    'Series: `aegis_sessions{state}`, `aegis_live_sessions`, `aegis_turns_total{outcome}`, `aegis_turn_duration_seconds`, `aegis_permission_wait_seconds{decided_by}`, `aegis_question_wait_seconds`, `aegis_events_total{type}`, `aegis_http_request_duration_seconds{method,route,status}`, plus the standard `process_*` and `nodejs_*` series (CPU, memory, heap, event-loop lag, file descriptors).',
  tags: ['Server'],
  responses: {
    200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

async function resolvesOnPath(command: string): Promise<boolean> {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [command]
      : (process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command));
  for (const path of candidates) {
    try {
      await access(path, constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** Whether an agent's command resolves; for `node script.js` the script must exist too. */
export async function checkAgent(name: string, info: AgentCommandInfo | { error: string } | undefined) {
  if (!info) return { name, command: null, available: null, problem: null };
  if ('error' in info) return { name, command: null, available: false, problem: info.error };
  if (!(await resolvesOnPath(info.command))) {
    return {
      name,
      command: info.command,
      available: false,
      problem: `${info.command} is not an executable on PATH`,
    };
  }
  const script = info.args.find((a) => /\.(c|m)?js$/.test(a));
  if (script) {
    try {
      await access(script, constants.R_OK);
    } catch {
      return { name, command: info.command, available: false, problem: `agent script ${script} is missing` };
    }
  }
  return { name, command: info.command, available: true, problem: null };
}

async function fileSize(path: string | null): Promise<number | null> {
  if (!path || path === ':memory:') return null;
  let total = 0;
  let found = false;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += (await stat(p)).size;
      found = true;
    } catch {}
  }
  return found ? total : null;
}

export interface ServerInfoOptions {
  metrics?: AegisMetrics | undefined;
  diagnostics?: DiagnosticsInfo | undefined;
}

/** Handshake, diagnostics, Prometheus metrics and the interactive API docs. */
export function serverInfoRoutes(deps: RouteDeps, opts: ServerInfoOptions) {
  const { aegis, version, startedAt, agents } = deps;
  const app = newRouter();
  app.openapi(handshakeRoute, (c) => {
    const { protocolVersion, clientCapabilities } = c.req.valid('json');
    if (protocolVersion < MIN_CLIENT_PROTOCOL_VERSION) {
      throw new AegisError(
        'CONFLICT',
        `Client protocol version ${protocolVersion} is too old; this server (protocol ${PROTOCOL_VERSION}) needs at least ${MIN_CLIENT_PROTOCOL_VERSION}. Upgrade the client (npm i @aegis/client@latest).`,
        { details: { protocolVersion: PROTOCOL_VERSION, minProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION } },
      );
    }
    const known = new Set<string>([...SERVER_CAPABILITIES, ...SUPPORTED_DOCUMENTED_CAPABILITIES]);
    const requested = [...new Set(clientCapabilities)];
    const unsupported = (cap: string) => {
      const documented = ownValue(DOCUMENTED_CAPABILITIES, cap);
      return documented && 'unsupported' in documented
        ? `Capability "${cap}" is not supported by this server: ${documented.unsupported}.`
        : `Unknown capability "${cap}"; this server does not support it and will ignore it.`;
    };
    return c.json(
      {
        protocolVersion: PROTOCOL_VERSION,
        minProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
        serverCapabilities: [...SERVER_CAPABILITIES, ...SUPPORTED_DOCUMENTED_CAPABILITIES],
        negotiatedCapabilities: requested.filter((cap) => known.has(cap)),
        warnings: [
          ...(protocolVersion > PROTOCOL_VERSION
            ? [
                `Client protocol version ${protocolVersion} is newer than this server's (${PROTOCOL_VERSION}); speak version ${PROTOCOL_VERSION}, or upgrade the server for what came after it.`,
              ]
            : []),
          ...requested.filter((cap) => !known.has(cap)).map(unsupported),
        ],
        compatible: true,
      },
      200,
    );
  });
  app.openapi(diagnosticsRoute, async (c) => {
    const d = opts.diagnostics;
    const mem = process.memoryUsage();
    return c.json(
      {
        version,
        protocolVersion: PROTOCOL_VERSION,
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        pid: process.pid,
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
        activeResources: activeResources(),
        storage: {
          stateDir: d?.stateDir ?? null,
          dbPath: d?.dbPath ?? null,
          dbSizeBytes: await fileSize(d?.dbPath ?? null),
        },
        sessions: { live: aegis.liveCount, byState: await aegis.sessions.countByStatus() },
        agents: await Promise.all(agents.map((name) => checkAgent(name, d?.agentCommands[name]))),
        config: d?.config ?? {},
      },
      200,
    );
  });
  app.openapi(metricsRoute, async (c) => {
    if (!opts.metrics) throw new AegisError('NOT_FOUND', 'Metrics are not enabled on this server.');
    return c.text(await opts.metrics.text(), 200, { 'content-type': opts.metrics.contentType });
  });
  app.route('/', apiDocsRoutes());
  return app;
}

/** Counts of the handles and requests alive in this process, by kind. */
function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) out[kind] = (out[kind] ?? 0) + 1;
  return out;
}

/** How each named agent is started: configured commands, and the bundled Claude Code adapter. */
export function agentCommandsFor(
  names: readonly string[],
  configured: Record<string, { command: string; args: string[] }>,
): DiagnosticsInfo['agentCommands'] {
  const out: DiagnosticsInfo['agentCommands'] = {};
  for (const name of names) {
    const spec = configured[name];
    if (spec) out[name] = { command: spec.command, args: spec.args };
    else if (name === CLAUDE_CODE) {
      try {
        const cc = claudeCodeSpec();
        out[name] = { command: cc.command, args: cc.args ?? [] };
      } catch (err) {
        out[name] = { error: (err as Error).message };
      }
    }
  }
  return out;
}

/** The configuration as diagnostics show it: shapes and counts, never tokens, secrets or env values. */
export function configSummary(config: ServerConfig): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    permissionMode: config.permissionMode,
    allowedWorkDirs: config.allowedWorkDirs ?? null,
    agents: Object.keys(config.agents),
    defaultAgent: config.defaultAgent ?? null,
    agentEnvKeys: Object.keys(config.agentEnv),
    stallThresholdMs: config.stallThresholdMs,
    promptTimeoutMs: config.promptTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    storeHoldMs: config.storeHoldMs,
    resumeOnRestart: config.resumeOnRestart,
    policies: config.policies.map((r) => r.name),
    dashboardEnabled: config.dashboardEnabled,
    bodyLimitBytes: config.bodyLimitBytes,
    eventStreams: config.eventStreams,
    authTokenConfigured: config.authToken !== undefined,
    strictRbac: config.strictRbac,
    // Sign-in with the identity provider: where and how, never the client secret.
    oidc: config.oidc
      ? {
          issuer: config.oidc.issuer,
          clientId: config.oidc.clientId,
          audience: config.oidc.audience ?? config.oidc.clientId,
          tokenType: config.oidc.tokenType,
          roleClaim: config.oidc.roleClaim,
          sso: config.oidc.clientSecret !== undefined,
        }
      : null,
    sessionStore: sessionStoreOf(config),
    // Where the shared database is, never its password.
    postgres: config.postgresUrl
      ? {
          location: describeUrl(config.postgresUrl).where,
          schema: config.pgSchema ?? 'public',
          poolMax: config.pgPoolMax ?? 10,
        }
      : null,
  };
}
