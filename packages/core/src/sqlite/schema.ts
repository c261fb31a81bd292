/**
 * The durable schema (SQLite dialect). Kept portable on purpose so a PostgreSQL twin is a
 * mechanical translation: times are ISO-8601 text, ids are integers or text, JSON columns map to
 * `jsonb`, `integer primary key autoincrement` maps to an identity column. Nothing here relies on
 * rowid, WITHOUT ROWID tables, partial indexes or SQLite JSON functions.
 *
 * Change this file, then run `pnpm --filter @aegis/core db:generate` and commit `drizzle/`.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Session } from '../schemas.js';
import type { TranscriptEntry } from '../transcript.js';

/** Sessions: a few columns for filtering, plus the whole `Session` so new fields need no migration. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    workDir: text('work_dir').notNull(),
    status: text('status').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    data: text('data', { mode: 'json' }).$type<Session>().notNull(),
  },
  (t) => [
    index('sessions_owner_work_dir_status_idx').on(t.ownerId, t.workDir, t.status),
    index('sessions_created_at_idx').on(t.createdAt),
    // Filtering by state (the live ones are few among a long history): counts, caps, recovery, lists.
    index('sessions_status_created_at_idx').on(t.status, t.createdAt),
  ],
);

/** The event log. `id` is the global position; `seq` the per-session sequence number. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    type: text('type').notNull(),
    data: text('data', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [uniqueIndex('events_session_seq_uq').on(t.sessionId, t.seq)],
);

/** The fields of a transcript entry that are not columns of their own. */
export type TranscriptBody = Omit<TranscriptEntry, 'id' | 'sessionId' | 'seq' | 'at' | 'role'>;

/** Finished transcript entries. `id` increases across the whole store (cursor for paging). */
export const transcriptEntries = sqliteTable(
  'transcript_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    role: text('role').notNull(),
    body: text('body', { mode: 'json' }).$type<TranscriptBody>().notNull(),
  },
  (t) => [index('transcript_entries_session_id_idx').on(t.sessionId, t.id)],
);

/** Permission requests, pending and answered (one row per request, updated on resolution). */
export const permissionRequests = sqliteTable(
  'permission_requests',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id').notNull(),
    toolCallId: text('tool_call_id'),
    status: text('status').notNull(),
    requestedAt: text('requested_at').notNull(),
    resolvedAt: text('resolved_at'),
    request: text('request', { mode: 'json' }).$type<unknown>().notNull(),
    resolution: text('resolution', { mode: 'json' }).$type<unknown>(),
  },
  (t) => [
    index('permission_requests_session_idx').on(t.sessionId, t.requestedAt),
    index('permission_requests_status_idx').on(t.status),
  ],
);

/** Append-only audit log; each row's `hash` chains over `prev_hash` so tampering is detectable. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    target: text('target'),
    outcome: text('outcome').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    uniqueIndex('audit_log_hash_uq').on(t.hash),
  ],
);

/**
 * One row (`id` = 1): the audit chain's newest id, hash and record count, moved in the same
 * transaction as each append, so deleting the newest audit rows is detected by verification.
 */
export const auditHead = sqliteTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: integer('last_id').notNull(),
  count: integer('count').notNull(),
  hash: text('hash').notNull(),
});

/** API keys; only a hash of the secret is stored. */
export const apiKeys = sqliteTable(
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
    /** After a rotation, the replaced secret's hash stays valid until `previous_expires_at`. */
    previousHash: text('previous_hash'),
    previousExpiresAt: text('previous_expires_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.hash), index('api_keys_previous_hash_idx').on(t.previousHash)],
);

/**
 * Session templates: a named, reusable session spec. Names are unique per owner (checked by the
 * store, since a NULL owner never collides in a unique index); `spec` is the whole template.
 */
export const templates = sqliteTable(
  'templates',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    name: text('name').notNull(),
    spec: text('spec', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('templates_owner_name_idx').on(t.ownerId, t.name)],
);

/** Shared key/value memory. `expires_at` is NULL for entries without a TTL. */
export const memoryEntries = sqliteTable(
  'memory_entries',
  {
    key: text('key').primaryKey(),
    /** JSON text, serialized by the store (a json-mode column would turn a JSON `null` into SQL NULL). */
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
    expiresAt: text('expires_at'),
  },
  (t) => [index('memory_entries_expires_at_idx').on(t.expiresAt)],
);

/**
 * Pipelines: the submitted spec (stage session specs) and the latest status snapshot. `state` mirrors
 * the snapshot's status so in-flight pipelines can be found at start-up without parsing JSON.
 */
export const pipelines = sqliteTable(
  'pipelines',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    state: text('state').notNull().default('running'),
    spec: text('spec', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('pipelines_created_at_idx').on(t.createdAt),
    index('pipelines_owner_created_at_idx').on(t.ownerId, t.createdAt),
    index('pipelines_state_idx').on(t.state),
  ],
);

/**
 * The agent's own conversation files of each session (e.g. Claude Code's transcript JSONL), captured
 * at turn boundaries so the session can be resumed where those files are gone. One row per session,
 * replaced when a capture copies the whole files.
 */
export const agentConversations = sqliteTable('agent_conversations', {
  sessionId: text('session_id').primaryKey(),
  agentSessionId: text('agent_session_id').notNull(),
  bytes: integer('bytes').notNull(),
  capturedAt: text('captured_at').notNull(),
  files: text('files', { mode: 'json' }).$type<unknown>().notNull(),
});

/**
 * What later captures appended to a session's conversation files, in order (`n`), so a turn's end
 * stores the turn's bytes instead of the whole files again. Emptied when the snapshot is replaced.
 */
export const agentConversationPieces = sqliteTable(
  'agent_conversation_pieces',
  {
    sessionId: text('session_id').notNull(),
    n: integer('n').notNull(),
    files: text('files', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.n] })],
);

/**
 * Requests sent with an `Idempotency-Key`: one row per (caller, key), claimed by the first request
 * (`state` `running`) and then holding its response (`done`) until `expires_at`.
 */
export const idempotencyKeys = sqliteTable(
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

/**
 * The usage ledger: one row per finished turn (tokens, cost, time, tool calls) with who ran it
 * and where. Written in the same transaction as the event that ends the turn.
 */
export const usageTurns = sqliteTable(
  'usage_turns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    turnId: text('turn_id').notNull(),
    at: text('at').notNull(),
    day: text('day').notNull(),
    ownerId: text('owner_id'),
    templateId: text('template_id'),
    model: text('model'),
    workDir: text('work_dir').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedReadTokens: integer('cached_read_tokens').notNull(),
    cachedWriteTokens: integer('cached_write_tokens').notNull(),
    costUsd: real('cost_usd'),
    costSource: text('cost_source').notNull(),
    durationMs: integer('duration_ms').notNull(),
    toolCalls: integer('tool_calls').notNull(),
    outcome: text('outcome').notNull(),
  },
  (t) => [
    index('usage_turns_day_session_idx').on(t.day, t.sessionId),
    index('usage_turns_session_idx').on(t.sessionId),
  ],
);

/**
 * Day rollups of the ledger by owner × template × model × workDir, kept up to date with each row
 * so grouped reads scan days, not turns. Absent values are stored as '' (a key column).
 */
export const usageDaily = sqliteTable(
  'usage_daily',
  {
    day: text('day').notNull(),
    ownerId: text('owner_id').notNull(),
    templateId: text('template_id').notNull(),
    model: text('model').notNull(),
    workDir: text('work_dir').notNull(),
    turns: integer('turns').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedReadTokens: integer('cached_read_tokens').notNull(),
    cachedWriteTokens: integer('cached_write_tokens').notNull(),
    costUsd: real('cost_usd').notNull(),
    durationMs: integer('duration_ms').notNull(),
    toolCalls: integer('tool_calls').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.ownerId, t.templateId, t.model, t.workDir] })],
);

/**
 * Day rollups of the ledger per session (with its owner, template, model and workDir; '' for
 * absent values), kept up to date with each row like `usage_daily`: grouped-by-session reads sum
 * a session's days, not its turns. Keyed session first (the migration makes it WITHOUT ROWID, the
 * key being the table), so a read grouped by session walks the key in order, with no sort per group.
 */
export const usageSessionDaily = sqliteTable(
  'usage_session_daily',
  {
    sessionId: text('session_id').notNull(),
    day: text('day').notNull(),
    ownerId: text('owner_id').notNull(),
    templateId: text('template_id').notNull(),
    model: text('model').notNull(),
    workDir: text('work_dir').notNull(),
    turns: integer('turns').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedReadTokens: integer('cached_read_tokens').notNull(),
    cachedWriteTokens: integer('cached_write_tokens').notNull(),
    costUsd: real('cost_usd').notNull(),
    durationMs: integer('duration_ms').notNull(),
    toolCalls: integer('tool_calls').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.day, t.ownerId, t.templateId, t.model, t.workDir] })],
);

/**
 * Routines: the whole routine as JSON, plus the columns the scheduler claims with (`enabled`,
 * `next_fire_at`, `last_fired_at`), which are the truth over the copy in `spec`.
 */
export const routines = sqliteTable(
  'routines',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id'),
    name: text('name').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    nextFireAt: text('next_fire_at'),
    lastFiredAt: text('last_fired_at'),
    spec: text('spec', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('routines_due_idx').on(t.enabled, t.nextFireAt),
    index('routines_owner_name_idx').on(t.ownerId, t.name),
  ],
);

/** Runs of routines; one per routine, trigger and due time, so a due time cannot be recorded (fired) twice. */
export const routineRuns = sqliteTable(
  'routine_runs',
  {
    id: text('id').primaryKey(),
    routineId: text('routine_id').notNull(),
    trigger: text('trigger').notNull(),
    dueAt: text('due_at').notNull(),
    outcome: text('outcome').notNull(),
    run: text('run', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [
    uniqueIndex('routine_runs_due_uq').on(t.routineId, t.trigger, t.dueAt),
    index('routine_runs_outcome_idx').on(t.outcome),
  ],
);

/**
 * Channel deliveries (Telegram, Slack, email): one row per (channel, event), see `channel-outbox.ts`.
 * `event` is the event as JSON text, so sending needs no second read.
 */
export const channelOutbox = sqliteTable(
  'channel_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    eventId: integer('event_id').notNull(),
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

/** Each channel's position in the global event log (events after `through` are not queued yet). */
export const channelCursors = sqliteTable('channel_cursors', {
  channel: text('channel').primaryKey(),
  through: integer('through').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Small values a channel keeps across restarts (e.g. the Telegram topic of each session). */
export const channelValues = sqliteTable(
  'channel_values',
  {
    channel: text('channel').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.key] })],
);

/**
 * Updates a channel has taken from its service (Telegram's `update_id`), recorded before the
 * channel acts on one: an update delivered again (a runner died before Telegram was told it had it)
 * is skipped. Pruned with the outbox.
 */
export const channelUpdates = sqliteTable(
  'channel_updates',
  {
    channel: text('channel').notNull(),
    updateId: text('update_id').notNull(),
    at: text('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.updateId] }), index('channel_updates_at_idx').on(t.at)],
);
