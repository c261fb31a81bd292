import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AegisError, PermissionMode, PolicyRule } from '@aegis/core';
import { z } from 'zod';
import { OidcConfig } from './auth/oidc-config.js';
import { ChannelsConfig, mergeChannels } from './channels/config.js';
import { DEFAULT_EVENT_STREAM_LIMITS } from './open-streams.js';
import { TracingConfig, tracesUrlOf } from './tracing-config.js';
import { UsageConfig } from './usage-config.js';

/** A warm pool: agent processes started and initialized ahead of sessions (see docs/benchmarks.md). */
const PoolConfig = z.object({
  size: z.coerce.number().int().min(0).max(64).default(0),
  maxIdleMs: z.coerce.number().int().positive().optional(),
});

const AgentCommandConfig = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  /** This agent's warm pool; overrides the global `pool`. */
  pool: PoolConfig.optional(),
  /**
   * Where the agent keeps its own conversation files, so Aegis can capture them and resume the
   * session elsewhere: `dirEnv` names the variable holding that directory (else `homeSubdir` under
   * HOME); `files` are paths below it, `{id}` the agent session id, `*` one path segment.
   */
  conversation: z
    .object({
      dirEnv: z.string().optional(),
      homeSubdir: z.string().optional(),
      files: z.array(z.string().min(1)).min(1),
    })
    .optional(),
});

/** Agent processes and their residency (issue "Sessions outlive their agent process"). */
const SessionsConfig = z.object({
  /** An idle session's agent process is closed after this long; the next prompt resumes it. 0 = never. */
  idleEvictMs: z.coerce
    .number({ error: 'must be a whole number of milliseconds (0 = never evict)' })
    .int()
    .min(0, 'must be 0 (never evict) or a positive number of milliseconds')
    .default(600_000),
  /** At most this many agent processes at once; default from the machine's memory (~450 MiB each). */
  maxResidentAgents: z.coerce
    .number({ error: 'must be a whole number of agent processes' })
    .int()
    .positive('must be at least 1')
    .optional(),
});

/**
 * Several nodes sharing one PostgreSQL database (on whenever the store is `postgres`). See
 * docs/deployment.md, "Several nodes".
 */
const ClusterConfig = z.object({
  /**
   * This node's id (`AEGIS_NODE_ID`): stable across restarts, so a restarted node takes its own
   * sessions back at once. Default: made once and kept in `<stateDir>/node-id`.
   */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a node id is 1–64 letters, digits, dots, dashes or underscores')
    .optional(),
  /**
   * Where the other nodes reach this one (`AEGIS_NODE_ADDRESS`), e.g. `http://10.0.0.5:9100`.
   * Default: `http://<host>:<port>` of this server (the machine's hostname when it listens on all addresses).
   */
  address: z.string().url('must be a URL such as http://10.0.0.5:9100').optional(),
  /**
   * How long a node's hold on its sessions lasts without a heartbeat (`AEGIS_LEASE_MS`); when it
   * runs out another node adopts them. Default 30 000.
   */
  leaseMs: z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int()
    .min(500, 'must be at least 500 ms')
    .default(30_000),
  /** On SIGTERM, running turns get this long to finish before they are cut off (`AEGIS_DRAIN_MS`). Default 5 000. */
  drainMs: z.coerce.number().int().min(0).default(5_000),
});

/** Sandboxed sessions (see docs/security.md, "Sandboxed sessions"). */
const SandboxConfig = z.object({
  /**
   * `off` (default): a session is sandboxed when it (or its template) asks; `on`: every session is,
   * unless it asks not to be; `required`: every session is, and one that cannot be is refused
   * (`AEGIS_SANDBOX`).
   */
  mode: z.enum(['off', 'on', 'required']).default('off'),
  /** Hosts besides the model every sandbox may reach: `host`, `host:port`, `*.domain` (`AEGIS_SANDBOX_ALLOWED_HOSTS`, comma-separated). */
  allowedHosts: z.array(z.string().min(1).max(260)).max(100).default([]),
});

/**
 * An outbound webhook: durable events POSTed as JSON, signed with HMAC-SHA256 using `secret`. Without
 * a secret deliveries are unsigned (the documented `AEGIS_WEBHOOKS` alone works) and the server says
 * so at start-up; a secret that is given must be long enough to be worth checking.
 */
export const WEBHOOK_SECRET_MIN = 16;
const WebhookConfig = z.object({
  url: z.string().url(),
  secret: z
    .string()
    .min(
      WEBHOOK_SECRET_MIN,
      `the signing secret must be at least ${WEBHOOK_SECRET_MIN} characters (e.g. \`openssl rand -hex 32\`)`,
    )
    .optional(),
  /** Event types to send (`*` = all); default every type except `message.delta` / `thought.delta`. */
  events: z.array(z.string().max(100)).optional(),
});

/** Abuse limits; defaults are documented in docs/security.md. */
const LimitsConfig = z.object({
  /**
   * Failed authentications per minute, counted per credential tried and per client address
   * (loopback addresses excepted), before 429. A valid credential is never refused for others' failures.
   */
  authFailuresPerMinute: z.number().int().positive().default(20),
  /** Requests per API key (or the local user) per minute. */
  requestsPerMinute: z.number().int().positive().default(600),
  /** Live (not ended) sessions one key may own at once. */
  sessionsPerKey: z.number().int().positive().default(10),
  /** Live sessions on this server at once. */
  sessionsGlobal: z.number().int().positive().default(50),
});

/** The session stores a server can run on. `file` is another name for `sqlite`. */
export const SESSION_STORES = ['sqlite', 'file', 'postgres'] as const;
export type SessionStoreKind = (typeof SESSION_STORES)[number];

const SessionStore = z.enum(SESSION_STORES, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a session store this server can use. Use \`sqlite\` (or \`file\`: the embedded database file, the default) or \`postgres\` (set AEGIS_POSTGRES_URL): PostgreSQL is the supported shared store for several Aegis nodes.`,
});

/** Event streams (SSE); defaults are documented in docs/security.md. */
const EventStreamsConfig = z.object({
  /** Streams one key (or the local user) may hold open at once; one more is answered 429. */
  perKey: z.coerce.number().int().positive().default(DEFAULT_EVENT_STREAM_LIMITS.perKey),
  /** Bytes of live events held per stream while its client is not reading (then read from the log). */
  bufferBytes: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(DEFAULT_EVENT_STREAM_LIMITS.bufferBytes),
  /** A stream whose client has not taken its data for this long is closed (it resumes with Last-Event-ID). */
  blockedTimeoutMs: z.coerce.number().int().min(1000).default(DEFAULT_EVENT_STREAM_LIMITS.blockedTimeoutMs),
});

/** `Idempotency-Key` records (see docs/sessions.md). */
const IdempotencyConfig = z.object({
  /** How long a key and the first response are kept (`AEGIS_IDEMPOTENCY_TTL_SECONDS`). */
  ttlSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
  /** How long a duplicate waits for the first request before 409 IDEMPOTENCY_IN_PROGRESS. */
  waitMs: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

/** Server configuration: file < environment < explicit options. */
export const ServerConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(9100),
  stateDir: z.string().default(join(homedir(), '.aegis')),
  /**
   * Where sessions, events, keys and audit live (`AEGIS_SESSION_STORE`): `sqlite` / `file`, the
   * embedded database file (the default), or `postgres`, shared by several nodes. Unset with a
   * `postgresUrl` given means `postgres`.
   */
  sessionStore: SessionStore.optional(),
  /** SQLite file; default `<stateDir>/aegis.db`. `:memory:` keeps nothing. */
  dbPath: z.string().optional(),
  /** `postgres://user:password@host:port/database` (`AEGIS_POSTGRES_URL`). */
  postgresUrl: z.string().min(1).optional(),
  /** PostgreSQL schema for Aegis' tables, created if missing (`AEGIS_PG_SCHEMA`). Default `public`. */
  pgSchema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a schema name is letters, digits and underscores (at most 63)')
    .optional(),
  /** Connections this server keeps to PostgreSQL (`AEGIS_PG_POOL_MAX`). Default 10. */
  pgPoolMax: z.coerce.number().int().min(1).max(1000).optional(),
  /** This server as one node of several sharing the PostgreSQL store. */
  cluster: ClusterConfig.default({ leaseMs: 30_000, drainMs: 5_000 }),
  sandbox: SandboxConfig.prefault({}),
  /** Prices per model and daily budgets per API key (see docs/usage.md). */
  usage: UsageConfig.prefault({}),
  authToken: z.string().min(16).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  permissionMode: PermissionMode.default('default'),
  /**
   * Permission modes an operator key may choose for a session (at create, through a template, or
   * with setPermissionMode); admins may choose any. Default: every mode but bypassPermissions,
   * which skips every permission check. `AEGIS_OPERATOR_PERMISSION_MODES` (comma-separated).
   */
  operatorPermissionModes: z
    .array(PermissionMode)
    .default(PermissionMode.options.filter((m) => m !== 'bypassPermissions')),
  /** Directories sessions may work in (realpath-resolved). Default: $HOME and the server's cwd. */
  allowedWorkDirs: z.array(z.string()).optional(),
  agents: z.record(z.string(), AgentCommandConfig).default({}),
  defaultAgent: z.string().optional(),
  /** Extra environment given to every agent process. */
  agentEnv: z.record(z.string(), z.string()).default({}),
  stallThresholdMs: z.coerce.number().int().positive().default(120_000),
  /** A turn with no agent update for this long is cancelled (AGENT_TIMEOUT). 0 = off. */
  promptTimeoutMs: z.coerce.number().int().min(0).default(0),
  /** An idle session with no activity for this long is ended. 0 = off (never reaped). */
  idleTimeoutMs: z.coerce.number().int().min(0).default(0),
  /**
   * While the store cannot be written (disk full), live sessions' events are held in memory and
   * stored once it recovers; after this long running turns are stopped (see docs/reliability.md).
   */
  storeHoldMs: z.coerce.number().int().positive().default(60_000),
  /** …or once this many bytes of events are held. */
  storeHoldBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /**
   * On start, reopen sessions a killed server left live through the agent's `session/load` /
   * `session/resume` (when it supports them) instead of marking them `crashed`.
   */
  resumeOnRestart: z.boolean().default(true),
  /** Server-wide permission rules; the first match decides (`PUT /v1/policies` replaces them at runtime). */
  policies: z.array(PolicyRule).default([]),
  dashboardEnabled: z.boolean().default(true),
  /** Built dashboard assets; default: the copy bundled in this package (dist/dashboard). */
  dashboardDir: z.string().optional(),
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  limits: LimitsConfig.prefault({}),
  eventStreams: EventStreamsConfig.prefault({}),
  idempotency: IdempotencyConfig.prefault({}),
  /**
   * Host names (optionally `name:port`) the server answers to besides loopback ones while it grants
   * credential-less loopback access: any other Host is refused (DNS-rebinding protection).
   */
  allowedHosts: z.array(z.string().min(1).max(300)).max(100).default([]),
  /** Browser origins (`https://ops.example.com`) besides the server's own that may call mutating routes. */
  allowedOrigins: z.array(z.string().min(1).max(300)).max(100).default([]),
  /**
   * On loopback without a token, requests without credentials act as the local admin while no API
   * key exists. Once keys have existed and every one has expired or been revoked, that access stays
   * off unless this is true (`AEGIS_ZERO_CONFIG_AFTER_KEYS`); either way it is logged loudly.
   */
  zeroConfigAfterKeys: z.boolean().default(false),
  /**
   * `AEGIS_STRICT_RBAC`: every request needs a credential (an API key, `AEGIS_AUTH_TOKEN` or a
   * sign-in token), loopback included — no credential-less local admin, ever.
   */
  strictRbac: z.boolean().default(false),
  /** Sign-in with the company's identity provider (`AEGIS_OIDC_*`, docs/oidc.md). */
  oidc: OidcConfig.optional(),
  /** Lifetime of the single-use tokens minted by POST /v1/auth/sse-token. */
  sseTokenTtlSeconds: z.number().int().min(5).max(3600).default(60),
  webhooks: z.array(WebhookConfig).default([]),
  /** Telegram, Slack and email notifications (docs/channels.md). */
  channels: ChannelsConfig.default({}),
  /** Warm pool of the default agent (`AEGIS_POOL_SIZE`, `AEGIS_POOL_MAX_IDLE_MS`); size 0 = off. */
  pool: PoolConfig.prefault({}),
  sessions: SessionsConfig.prefault({}),
  /** OpenTelemetry tracing (the standard `OTEL_*` variables; docs/deployment.md, "Tracing"). Off by default. */
  tracing: TracingConfig.prefault({}),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

/** The store a configuration selects: `postgres` needs a URL; unset means SQLite unless a URL is given. */
export function sessionStoreOf(config: ServerConfig): 'sqlite' | 'postgres' {
  const kind = config.sessionStore ?? (config.postgresUrl ? 'postgres' : 'sqlite');
  return kind === 'postgres' ? 'postgres' : 'sqlite';
}
export type ServerConfigInput = z.input<typeof ServerConfig>;

/**
 * Set by `configFromEnv` on its layer (an enumerable symbol, so it survives spreads and
 * `Object.assign`, and zod never sees it): the dotted paths of the settings the environment gave.
 * A start-up error names the variable only for those, not for the same key from a file or code.
 */
export const FROM_ENVIRONMENT: unique symbol = Symbol('aegis.config.fromEnvironment');

/** Settings that come from an environment variable, named in start-up errors beside the config key. */
const ENV_NAMES: Record<string, string> = {
  'sessions.idleEvictMs': 'AEGIS_IDLE_EVICT_MS',
  'sessions.maxResidentAgents': 'AEGIS_MAX_RESIDENT_AGENTS',
  'cluster.nodeId': 'AEGIS_NODE_ID',
  'cluster.address': 'AEGIS_NODE_ADDRESS',
  'cluster.leaseMs': 'AEGIS_LEASE_MS',
  'cluster.drainMs': 'AEGIS_DRAIN_MS',
  'sandbox.mode': 'AEGIS_SANDBOX',
  'sandbox.allowedHosts': 'AEGIS_SANDBOX_ALLOWED_HOSTS',
  port: 'AEGIS_PORT',
  stallThresholdMs: 'AEGIS_STALL_THRESHOLD_MS',
  promptTimeoutMs: 'AEGIS_ACP_PROMPT_TIMEOUT_MS',
  idleTimeoutMs: 'AEGIS_IDLE_TIMEOUT_MS',
  'oidc.issuer': 'AEGIS_OIDC_ISSUER',
  'oidc.clientId': 'AEGIS_OIDC_CLIENT_ID',
  'oidc.clientSecret': 'AEGIS_OIDC_CLIENT_SECRET',
  'oidc.cliClientId': 'AEGIS_OIDC_CLI_CLIENT_ID',
  'oidc.audience': 'AEGIS_OIDC_AUDIENCE',
  'oidc.tokenType': 'AEGIS_OIDC_TOKEN_TYPE',
  'oidc.roleClaim': 'AEGIS_OIDC_ROLE_CLAIM',
  'oidc.clockSkewSeconds': 'AEGIS_OIDC_CLOCK_SKEW_SECONDS',
  'channels.telegram.token': 'AEGIS_TG_TOKEN',
  'channels.telegram.group': 'AEGIS_TG_GROUP',
  'channels.telegram.allowedUserIds': 'AEGIS_TG_ALLOWED_USERS',
  'channels.telegram.apiRoot': 'AEGIS_TG_API_ROOT',
  'channels.telegram.role': 'AEGIS_TG_ROLE',
  'tracing.endpoint': 'OTEL_EXPORTER_OTLP_ENDPOINT',
  'tracing.tracesEndpoint': 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'tracing.serviceName': 'OTEL_SERVICE_NAME',
  'tracing.protocol': 'OTEL_EXPORTER_OTLP_PROTOCOL',
  'tracing.exporter': 'OTEL_TRACES_EXPORTER',
  'tracing.sampler': 'OTEL_TRACES_SAMPLER',
  'tracing.samplerArg': 'OTEL_TRACES_SAMPLER_ARG',
};

// The YAML parser is ~70 modules: loaded only when a YAML file is read, not on every start.
const parseYaml = (text: string): unknown =>
  (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/** Reads a YAML or JSON config file; a missing file is not an error, a malformed one is. */
export function readConfigFile(path: string): Partial<ServerConfigInput> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return (data?.server ?? data ?? {}) as Partial<ServerConfigInput>;
  } catch (err) {
    throw new AegisError(
      'BAD_REQUEST',
      `Config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
}

/** Resolves the final configuration, with a clear error naming the bad field. */
export function resolveConfig(...layers: (Partial<ServerConfigInput> | undefined)[]): ServerConfig {
  const merged = Object.assign({}, ...layers.filter(Boolean));
  // The environment's AEGIS_OIDC_* complete the file's `oidc` rather than replace it.
  const oidcLayers = layers.map((l) => l?.oidc).filter(Boolean);
  if (oidcLayers.length > 0) merged.oidc = Object.assign({}, ...oidcLayers);
  const channels = mergeChannels(...layers.map((l) => l?.channels));
  if (channels) merged.channels = channels;
  // OTEL_* variables complete the file's `tracing` rather than replace it.
  const tracingLayers = layers.map((l) => l?.tracing).filter(Boolean);
  if (tracingLayers.length > 0) merged.tracing = Object.assign({}, ...tracingLayers);
  // Parsed once per start: without zod's generated fast path, whose code generation costs more than it saves here.
  const parsed = ServerConfig.safeParse(merged, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    const fromEnv = (merged as { [FROM_ENVIRONMENT]?: ReadonlySet<string> })[FROM_ENVIRONMENT];
    const envGaveIt = [...(fromEnv ?? [])].some((p) => at === p || at.startsWith(`${p}.`));
    const env = !envGaveIt
      ? undefined
      : (ENV_NAMES[at] ??
        ENV_NAMES[at.replace(/\.\d+$/, '')] ??
        (at.startsWith('oidc.roles') ? 'AEGIS_OIDC_ROLES' : undefined));
    const source =
      at === 'sessionStore' ? ' (AEGIS_SESSION_STORE, --store)' : env ? ` (environment variable ${env})` : '';
    throw new AegisError('BAD_REQUEST', `Invalid configuration at ${at}${source}: ${issue?.message}`);
  }
  if (parsed.data.sessionStore === 'postgres' && !parsed.data.postgresUrl) {
    throw new AegisError(
      'BAD_REQUEST',
      'The session store is `postgres` but no database URL is set: set AEGIS_POSTGRES_URL (or `postgresUrl` in the config file, or --postgres-url) to postgres://user:password@host:port/database.',
    );
  }
  const { tracing } = parsed.data;
  if (tracing.enabled === true && tracing.exporter !== 'none' && tracesUrlOf(tracing) === null) {
    throw new AegisError(
      'BAD_REQUEST',
      'Tracing is enabled (tracing.enabled: true) but no OTLP endpoint is set: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://127.0.0.1:4318) or tracing.endpoint in the config file, or remove tracing.enabled.',
    );
  }
  return parsed.data;
}
