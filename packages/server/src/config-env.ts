// The server's environment variables (`AEGIS_*`), read into a config layer. They are read here and
// nowhere else; config.ts validates the merged layers.
import { AegisError, type PermissionMode } from '@aegis/core';
import { oidcFromEnv } from './auth/oidc-config.js';
import {
  FROM_ENVIRONMENT,
  type ServerConfig,
  type ServerConfigInput,
  type SessionStoreKind,
  WEBHOOK_SECRET_MIN,
} from './config.js';

/** `Number()` reads '' and ' ' as 0: a setting given as text must be digits to count as a number. */
const strictNumber = (v: string): number => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN);

const bool = (v: string | undefined) => (v === undefined ? undefined : !/^(0|false|no|off)$/i.test(v));

/** The server's own environment variables (read here and nowhere else). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ServerConfigInput> {
  const out: Partial<ServerConfigInput> = {};
  if (env.AEGIS_HOST) out.host = env.AEGIS_HOST;
  if (env.AEGIS_PORT) out.port = Number(env.AEGIS_PORT);
  if (env.AEGIS_STATE_DIR) out.stateDir = env.AEGIS_STATE_DIR;
  if (env.AEGIS_DB_PATH) out.dbPath = env.AEGIS_DB_PATH;
  if (env.AEGIS_SESSION_STORE)
    out.sessionStore = env.AEGIS_SESSION_STORE.trim().toLowerCase() as SessionStoreKind;
  if (env.AEGIS_POSTGRES_URL) out.postgresUrl = env.AEGIS_POSTGRES_URL;
  if (env.AEGIS_PG_SCHEMA) out.pgSchema = env.AEGIS_PG_SCHEMA;
  if (env.AEGIS_PG_POOL_MAX) out.pgPoolMax = Number(env.AEGIS_PG_POOL_MAX);
  if (env.AEGIS_AUTH_TOKEN) out.authToken = env.AEGIS_AUTH_TOKEN;
  if (env.AEGIS_LOG_LEVEL) out.logLevel = env.AEGIS_LOG_LEVEL as ServerConfig['logLevel'];
  if (env.AEGIS_PERMISSION_MODE) out.permissionMode = env.AEGIS_PERMISSION_MODE as PermissionMode;
  if (env.AEGIS_OPERATOR_PERMISSION_MODES !== undefined) {
    out.operatorPermissionModes = env.AEGIS_OPERATOR_PERMISSION_MODES.split(',')
      .map((m) => m.trim())
      .filter(Boolean) as PermissionMode[];
  }
  if (env.AEGIS_ALLOWED_WORKDIRS) out.allowedWorkDirs = env.AEGIS_ALLOWED_WORKDIRS.split(':').filter(Boolean);
  if (env.AEGIS_STALL_THRESHOLD_MS) out.stallThresholdMs = Number(env.AEGIS_STALL_THRESHOLD_MS);
  if (env.AEGIS_POOL_SIZE || env.AEGIS_POOL_MAX_IDLE_MS) {
    out.pool = {
      size: Number(env.AEGIS_POOL_SIZE ?? 0),
      ...(env.AEGIS_POOL_MAX_IDLE_MS ? { maxIdleMs: Number(env.AEGIS_POOL_MAX_IDLE_MS) } : {}),
    };
  }
  if (env.AEGIS_ACP_PROMPT_TIMEOUT_MS) out.promptTimeoutMs = Number(env.AEGIS_ACP_PROMPT_TIMEOUT_MS);
  if (env.AEGIS_IDLE_TIMEOUT_MS) out.idleTimeoutMs = Number(env.AEGIS_IDLE_TIMEOUT_MS);
  if (env.AEGIS_STORE_HOLD_MS) out.storeHoldMs = Number(env.AEGIS_STORE_HOLD_MS);
  if (env.AEGIS_IDLE_EVICT_MS !== undefined || env.AEGIS_MAX_RESIDENT_AGENTS !== undefined) {
    out.sessions = {
      ...(env.AEGIS_IDLE_EVICT_MS !== undefined
        ? { idleEvictMs: strictNumber(env.AEGIS_IDLE_EVICT_MS) }
        : {}),
      ...(env.AEGIS_MAX_RESIDENT_AGENTS !== undefined
        ? { maxResidentAgents: strictNumber(env.AEGIS_MAX_RESIDENT_AGENTS) }
        : {}),
    };
  }
  const cluster = {
    nodeId: env.AEGIS_NODE_ID,
    address: env.AEGIS_NODE_ADDRESS,
    leaseMs: env.AEGIS_LEASE_MS === undefined ? undefined : strictNumber(env.AEGIS_LEASE_MS),
    drainMs: env.AEGIS_DRAIN_MS === undefined ? undefined : strictNumber(env.AEGIS_DRAIN_MS),
  };
  const setCluster = Object.entries(cluster).filter(([, v]) => v !== undefined && v !== '');
  if (setCluster.length > 0) out.cluster = Object.fromEntries(setCluster) as ServerConfigInput['cluster'];
  if (env.AEGIS_SANDBOX !== undefined || env.AEGIS_SANDBOX_ALLOWED_HOSTS !== undefined) {
    out.sandbox = {
      ...(env.AEGIS_SANDBOX !== undefined
        ? { mode: env.AEGIS_SANDBOX.trim().toLowerCase() as 'off' | 'on' | 'required' }
        : {}),
      ...(env.AEGIS_SANDBOX_ALLOWED_HOSTS !== undefined
        ? {
            allowedHosts: env.AEGIS_SANDBOX_ALLOWED_HOSTS.split(',')
              .map((h) => h.trim())
              .filter(Boolean),
          }
        : {}),
    };
  }
  const resume = bool(env.AEGIS_RESUME_ON_RESTART);
  if (resume !== undefined) out.resumeOnRestart = resume;
  if (env.AEGIS_WEBHOOKS) {
    const secret = env.AEGIS_WEBHOOK_SECRET;
    if (secret !== undefined && secret.length < WEBHOOK_SECRET_MIN) {
      throw new AegisError(
        'BAD_REQUEST',
        `AEGIS_WEBHOOK_SECRET is ${secret ? `only ${secret.length} characters` : 'empty'}: a signing secret must be a random string of at least ${WEBHOOK_SECRET_MIN} characters (e.g. \`export AEGIS_WEBHOOK_SECRET=$(openssl rand -hex 32)\`), given to your receivers too (see docs/security.md, "Webhooks"). Unset it to send unsigned deliveries.`,
      );
    }
    out.webhooks = env.AEGIS_WEBHOOKS.split(',')
      .map((u) => u.trim())
      .filter(Boolean)
      .map((url) => (secret ? { url, secret } : { url }));
  }
  const list = (v: string) =>
    v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const afterKeys = bool(env.AEGIS_ZERO_CONFIG_AFTER_KEYS);
  if (afterKeys !== undefined) out.zeroConfigAfterKeys = afterKeys;
  if (env.AEGIS_ALLOWED_HOSTS) out.allowedHosts = list(env.AEGIS_ALLOWED_HOSTS);
  if (env.AEGIS_ALLOWED_ORIGINS) out.allowedOrigins = list(env.AEGIS_ALLOWED_ORIGINS);
  const streams = {
    perKey: env.AEGIS_EVENT_STREAMS_PER_KEY,
    bufferBytes: env.AEGIS_EVENT_STREAM_BUFFER_BYTES,
    blockedTimeoutMs: env.AEGIS_EVENT_STREAM_BLOCKED_MS,
  };
  const setStreams = Object.entries(streams).filter(([, v]) => v !== undefined && v !== '');
  if (setStreams.length > 0)
    out.eventStreams = Object.fromEntries(setStreams.map(([k, v]) => [k, Number(v)]));
  if (env.AEGIS_IDEMPOTENCY_TTL_SECONDS)
    out.idempotency = { ttlSeconds: Number(env.AEGIS_IDEMPOTENCY_TTL_SECONDS) };
  const strict = bool(env.AEGIS_STRICT_RBAC);
  if (strict !== undefined) out.strictRbac = strict;
  const oidc = oidcFromEnv(env);
  if (oidc) out.oidc = oidc as ServerConfigInput['oidc'];
  const telegram: Record<string, unknown> = {};
  if (env.AEGIS_TG_TOKEN !== undefined) telegram.token = env.AEGIS_TG_TOKEN.trim();
  if (env.AEGIS_TG_GROUP !== undefined) telegram.group = strictNumber(env.AEGIS_TG_GROUP);
  if (env.AEGIS_TG_ALLOWED_USERS !== undefined)
    telegram.allowedUserIds = list(env.AEGIS_TG_ALLOWED_USERS).map(strictNumber);
  // Checked with the config (one of admin, operator, viewer; the error names this variable).
  if (env.AEGIS_TG_ROLE !== undefined) telegram.role = env.AEGIS_TG_ROLE.trim().toLowerCase();
  if (env.AEGIS_TG_API_ROOT) telegram.apiRoot = env.AEGIS_TG_API_ROOT.trim().replace(/\/+$/, '');
  if (Object.keys(telegram).length > 0) out.channels = { telegram } as ServerConfigInput['channels'];
  const tracing = tracingFromEnv(env);
  if (tracing) out.tracing = tracing;
  const dash = bool(env.AEGIS_DASHBOARD_ENABLED);
  if (dash !== undefined) out.dashboardEnabled = dash;
  return Object.assign(out, { [FROM_ENVIRONMENT]: leafPaths(out) });
}

/** The dotted paths of the values in `layer` (arrays count as one value). */
function leafPaths(layer: object, prefix = ''): Set<string> {
  const paths = new Set<string>();
  for (const [key, value] of Object.entries(layer)) {
    const path = `${prefix}${key}`;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const p of leafPaths(value, `${path}.`)) paths.add(p);
    } else paths.add(path);
  }
  return paths;
}

/** The standard OpenTelemetry variables this server honours (docs/deployment.md, "Tracing"). */
function tracingFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput['tracing'] | undefined {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  };
  set('endpoint', env.OTEL_EXPORTER_OTLP_ENDPOINT);
  set('tracesEndpoint', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  set('serviceName', env.OTEL_SERVICE_NAME);
  set('protocol', env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() || env.OTEL_EXPORTER_OTLP_PROTOCOL);
  set('sampler', env.OTEL_TRACES_SAMPLER?.toLowerCase());
  if (env.OTEL_TRACES_SAMPLER_ARG !== undefined && env.OTEL_TRACES_SAMPLER_ARG.trim() !== '')
    out.samplerArg = strictNumber(env.OTEL_TRACES_SAMPLER_ARG);
  set('exporter', env.OTEL_TRACES_EXPORTER);
  if (bool(env.OTEL_SDK_DISABLED) === true) out.enabled = false;
  return Object.keys(out).length > 0 ? (out as ServerConfigInput['tracing']) : undefined;
}
