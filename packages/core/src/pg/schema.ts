/**
 * The durable schema (PostgreSQL dialect): the twin of `../sqlite/schema.ts`, table for table and
 * column for column, so both stores pass the same contract suite. Differences, on purpose:
 *
 * - Text columns use the `"C"` collation: ordering and the memory prefix range compare bytes, as
 *   SQLite does, whatever the database's default collation is.
 * - JSON columns are `json`, not `jsonb`: `json` keeps the text as written, so agent output that
 *   contains `\u0000` (which `jsonb` refuses) is stored exactly as SQLite stores it.
 * - Global ids are `bigint` identity columns; see `pg-store.ts` for how event ids commit in order.
 * - `sessions` carries `owner_node`, `lease_until` and `owner_epoch`, and a `nodes` table exists, for
 *   the multi-node ownership (leases with a fencing epoch, see `cluster.ts`); `pipelines` carries
 *   `runner_node` and `runner_until` (the node running it, under a lease); `rate_windows` counts
 *   requests per key across nodes, `cluster_secrets` holds the key nodes sign forwarded requests
 *   with and `cluster_leases` names the node doing cluster-wide work (the channels). The session upsert sets
 *   them only when it inserts; the cluster code moves them. Times in them come from the database's
 *   clock, as ISO text, so nodes with skewed clocks agree on when a lease ran out.
 *
 * Tables carry no schema name: the store sets `search_path` to the configured schema, and the
 * migrations are applied there.
 *
 * Change this file, then run `pnpm --filter @aegis/core db:generate:pg` and commit `drizzle-pg/`.
 */
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Session } from '../schemas.js';
import type { TranscriptBody } from '../sqlite/schema.js';

/** `text` compared byte by byte (the `"C"` collation), like SQLite's default BINARY collation. */
const text = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

const id = (name: string) => bigint(name, { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();

/** Sessions: a few columns for filtering, plus the whole `Session` so new fields need no migration. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    workDir: text('work_dir').notNull(),
    status: text('status').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    data: json('data').$type<Session>().notNull(),
    /** The node that owns this session (runs its agent, writes its log). */
    ownerNode: text('owner_node'),
    /** ISO time the owner's lease runs out. */
    leaseUntil: text('lease_until'),
    /** Fencing epoch, bumped on every takeover; the owner's writes are conditional on it. */
    ownerEpoch: integer('owner_epoch').notNull().default(0),
  },
  (t) => [
    index('sessions_owner_work_dir_status_idx').on(t.ownerId, t.workDir, t.status),
    index('sessions_created_at_idx').on(t.createdAt),
    // Filtering by state (the live ones are few among a long history): counts, caps, recovery, lists.
    index('sessions_status_created_at_idx').on(t.status, t.createdAt),
    index('sessions_owner_node_idx').on(t.ownerNode),
  ],
);

/** Aegis server processes sharing this database; each heartbeats its row (see `cluster.ts`). */
export const nodes = pgTable('nodes', {
  id: text('id').primaryKey(),
  /** Where peers reach it (`http://host:port`). */
  address: text('address').notNull(),
  /** Live agents it may run at once. */
  capacity: integer('capacity').notNull(),
  heartbeatAt: text('heartbeat_at').notNull(),
  /** `active`, `draining` or `gone`. */
  state: text('state').notNull().default('active'),
  /** ISO time this process registered (a restart under the same id moves it). */
  startedAt: text('started_at'),
  /** What the node last reported: version, resident and dormant agents, running turns. */
  info: json('info').$type<Record<string, unknown>>(),
});

/** The event log. `id` is the global position; `seq` the per-session sequence number. */
export const events = pgTable(
  'events',
  {
    id: id('id'),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    type: text('type').notNull(),
    data: json('data').$type<unknown>().notNull(),
  },
  (t) => [uniqueIndex('events_session_seq_uq').on(t.sessionId, t.seq)],
);

/** Finished transcript entries. `id` increases across the whole store (cursor for paging). */
export const transcriptEntries = pgTable(
  'transcript_entries',
  {
    id: id('id'),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    role: text('role').notNull(),
    body: json('body').$type<TranscriptBody>().notNull(),
  },
  (t) => [index('transcript_entries_session_id_idx').on(t.sessionId, t.id)],
);

/** Permission requests, pending and answered (one row per request, updated on resolution). */
export const permissionRequests = pgTable(
  'permission_requests',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id').notNull(),
    toolCallId: text('tool_call_id'),
    status: text('status').notNull(),
    requestedAt: text('requested_at').notNull(),
    resolvedAt: text('resolved_at'),
    request: json('request').$type<unknown>().notNull(),
    resolution: json('resolution').$type<unknown>(),
  },
  (t) => [
    index('permission_requests_session_idx').on(t.sessionId, t.requestedAt),
    index('permission_requests_status_idx').on(t.status),
  ],
);

/** Append-only audit log; each row's `hash` chains over `prev_hash` so tampering is detectable. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id('id'),
    at: text('at').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    target: text('target'),
    outcome: text('outcome').notNull(),
    details: json('details').$type<Record<string, unknown>>(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    uniqueIndex('audit_log_hash_uq').on(t.hash),
  ],
);

/** API keys; only a hash of the secret is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    hash: text('hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
    owner: text('owner'),
    previousHash: text('previous_hash'),
    previousExpiresAt: text('previous_expires_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.hash), index('api_keys_previous_hash_idx').on(t.previousHash)],
);

/** Session templates; names are unique per owner (checked by the store under a lock). */
export const templates = pgTable(
  'templates',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    name: text('name').notNull(),
    spec: json('spec').$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('templates_owner_name_idx').on(t.ownerId, t.name)],
);

/** Shared key/value memory. `expires_at` is NULL for entries without a TTL. */
export const memoryEntries = pgTable(
  'memory_entries',
  {
    key: text('key').primaryKey(),
    /** JSON text, serialized by the store (as in SQLite). */
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
    expiresAt: text('expires_at'),
  },
  (t) => [index('memory_entries_expires_at_idx').on(t.expiresAt)],
);

/** Pipelines: the submitted spec and the latest status snapshot; `state` mirrors its status. */
export const pipelines = pgTable(
  'pipelines',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    state: text('state').notNull().default('running'),
    spec: json('spec').$type<unknown>().notNull(),
    status: json('status').$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Cluster: the node running it (starting its stages), and until when its hold lasts. */
    runnerNode: text('runner_node'),
    runnerUntil: text('runner_until'),
  },
  (t) => [
    index('pipelines_created_at_idx').on(t.createdAt),
    index('pipelines_owner_created_at_idx').on(t.ownerId, t.createdAt),
    index('pipelines_state_idx').on(t.state),
  ],
);

/** The newest audit record (one row, id 1), moved in the same transaction as each append. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  count: bigint('count', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/** The agent's own conversation files of each session, captured at turn boundaries. */
export const agentConversations = pgTable('agent_conversations', {
  sessionId: text('session_id').primaryKey(),
  agentSessionId: text('agent_session_id').notNull(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  capturedAt: text('captured_at').notNull(),
  files: json('files').$type<unknown>().notNull(),
});

/** What later captures appended to a session's conversation files; see the SQLite twin. */
export const agentConversationPieces = pgTable(
  'agent_conversation_pieces',
  {
    sessionId: text('session_id').notNull(),
    n: integer('n').notNull(),
    files: json('files').$type<unknown>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.n] })],
);

/** Requests sent with an `Idempotency-Key`: one row per (caller, key); see the SQLite twin. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    ownerId: text('owner_id').notNull(),
    key: text('key').notNull(),
    claimId: text('claim_id').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    fingerprint: text('fingerprint').notNull(),
    state: text('state').notNull(),
    responseStatus: integer('response_status'),
    responseContentType: text('response_content_type'),
    responseBody: text('response_body'),
    createdAt: text('created_at').notNull(),
    lockedUntil: text('locked_until').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.key] }),
    index('idempotency_keys_expires_at_idx').on(t.expiresAt),
  ],
);

/** Cluster: requests per caller in the current fixed window, shared by every node (rate limits). */
export const rateWindows = pgTable('rate_windows', {
  key: text('key').primaryKey(),
  /** Start of the window, milliseconds since the epoch. */
  windowStart: bigint('window_start', { mode: 'number' }).notNull(),
  count: integer('count').notNull(),
});

/** Cluster: secrets shared by the nodes (one row, `forwarding`: signs requests one node sends another). */
export const clusterSecrets = pgTable('cluster_secrets', {
  name: text('name').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Cluster: work that one node at a time does for the whole cluster (e.g. `channels`: the Telegram
 * poller and the channel outbox's delivery), each under a named lease. The holder renews it; when
 * its lease runs out (the node died or was cut off) another node takes it with `epoch` + 1.
 */
export const clusterLeases = pgTable('cluster_leases', {
  name: text('name').primaryKey(),
  holderNode: text('holder_node'),
  /** Bumped whenever another node takes the lease. */
  epoch: integer('epoch').notNull().default(0),
  /** ISO time (the database's clock) the holder's lease runs out. */
  leaseUntil: text('lease_until'),
  /** ISO time the current holder took it. */
  acquiredAt: text('acquired_at'),
});

/** The usage ledger: one row per finished turn (see the SQLite schema). */
export const usageTurns = pgTable(
  'usage_turns',
  {
    id: id('id'),
    sessionId: text('session_id').notNull(),
    turnId: text('turn_id').notNull(),
    at: text('at').notNull(),
    day: text('day').notNull(),
    ownerId: text('owner_id'),
    templateId: text('template_id'),
    model: text('model'),
    workDir: text('work_dir').notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedReadTokens: bigint('cached_read_tokens', { mode: 'number' }).notNull(),
    cachedWriteTokens: bigint('cached_write_tokens', { mode: 'number' }).notNull(),
    costUsd: doublePrecision('cost_usd'),
    costSource: text('cost_source').notNull(),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    toolCalls: integer('tool_calls').notNull(),
    outcome: text('outcome').notNull(),
  },
  (t) => [
    index('usage_turns_day_session_idx').on(t.day, t.sessionId),
    index('usage_turns_session_idx').on(t.sessionId),
  ],
);

/** Day rollups of the ledger by owner × template × model × workDir ('' for absent values). */
export const usageDaily = pgTable(
  'usage_daily',
  {
    day: text('day').notNull(),
    ownerId: text('owner_id').notNull(),
    templateId: text('template_id').notNull(),
    model: text('model').notNull(),
    workDir: text('work_dir').notNull(),
    turns: bigint('turns', { mode: 'number' }).notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedReadTokens: bigint('cached_read_tokens', { mode: 'number' }).notNull(),
    cachedWriteTokens: bigint('cached_write_tokens', { mode: 'number' }).notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    toolCalls: bigint('tool_calls', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.ownerId, t.templateId, t.model, t.workDir] })],
);

/** Day rollups of the ledger per session (see the SQLite schema; '' for absent values). */
export const usageSessionDaily = pgTable(
  'usage_session_daily',
  {
    sessionId: text('session_id').notNull(),
    day: text('day').notNull(),
    ownerId: text('owner_id').notNull(),
    templateId: text('template_id').notNull(),
    model: text('model').notNull(),
    workDir: text('work_dir').notNull(),
    turns: bigint('turns', { mode: 'number' }).notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedReadTokens: bigint('cached_read_tokens', { mode: 'number' }).notNull(),
    cachedWriteTokens: bigint('cached_write_tokens', { mode: 'number' }).notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    toolCalls: bigint('tool_calls', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.day, t.ownerId, t.templateId, t.model, t.workDir] })],
);

/** Routines: the twin of the SQLite table (see `../sqlite/schema.ts`). */
export const routines = pgTable(
  'routines',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull(),
    nextFireAt: text('next_fire_at'),
    lastFiredAt: text('last_fired_at'),
    spec: json('spec').$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('routines_due_idx').on(t.enabled, t.nextFireAt),
    index('routines_owner_name_idx').on(t.ownerId, t.name),
  ],
);

/** Runs of routines; unique per routine, trigger and due time (see the SQLite twin). */
export const routineRuns = pgTable(
  'routine_runs',
  {
    id: text('id').primaryKey(),
    routineId: text('routine_id').notNull(),
    trigger: text('trigger').notNull(),
    dueAt: text('due_at').notNull(),
    outcome: text('outcome').notNull(),
    run: json('run').$type<unknown>().notNull(),
  },
  (t) => [
    uniqueIndex('routine_runs_due_uq').on(t.routineId, t.trigger, t.dueAt),
    index('routine_runs_outcome_idx').on(t.outcome),
  ],
);

/** Channel deliveries: one row per (channel, event); see the SQLite twin and `channel-outbox.ts`. */
export const channelOutbox = pgTable(
  'channel_outbox',
  {
    id: id('id'),
    channel: text('channel').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lastError: text('last_error'),
    ref: text('ref'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    event: text('event').notNull(),
  },
  (t) => [
    uniqueIndex('channel_outbox_channel_event_uq').on(t.channel, t.eventId),
    index('channel_outbox_channel_session_seq_idx').on(t.channel, t.sessionId, t.seq),
    index('channel_outbox_channel_state_next_idx').on(t.channel, t.state, t.nextAttemptAt),
  ],
);

/** Each channel's position in the global event log. */
export const channelCursors = pgTable('channel_cursors', {
  channel: text('channel').primaryKey(),
  through: bigint('through', { mode: 'number' }).notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Small values a channel keeps across restarts. */
export const channelValues = pgTable(
  'channel_values',
  {
    channel: text('channel').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.key] })],
);

/** Updates a channel has taken from its service, recorded before it acts on one (see SQLite's twin). */
export const channelUpdates = pgTable(
  'channel_updates',
  {
    channel: text('channel').notNull(),
    updateId: text('update_id').notNull(),
    at: text('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.updateId] }), index('channel_updates_at_idx').on(t.at)],
);
