import type pg from 'pg';
import type { AegisEvent } from '../events.js';
import type { Session } from '../schemas.js';
import type { StoreWrite, StoreWriteResult } from '../store.js';
import {
  USAGE_TURN_COLUMNS,
  usageDailyUpsert,
  usageDailyValues,
  usageSessionDailyUpsert,
  usageSessionDailyValues,
  usageTurnValues,
} from '../usage-sql.js';
import { type FenceState, fence, leaseEnd } from './fence.js';
import { LOCK_NAMESPACE, LOCKS } from './open-database.js';

const INSERT_USAGE_TURN = `insert into "usage_turns" (${USAGE_TURN_COLUMNS}) values (${Array.from({ length: 17 }, (_, i) => `$${i + 1}`).join(', ')})`;
const UPSERT_USAGE_DAILY = usageDailyUpsert((i) => `$${i}`);
const UPSERT_USAGE_SESSION_DAILY = usageSessionDailyUpsert((i) => `$${i}`);

/** One batch turned into statement parameters (serialised before anything is sent). */
export interface Rows {
  sessions: Session[];
  events: [sessionId: string, seq: number, at: string, type: string, data: string][];
  transcript: [sessionId: string, seq: number, at: string, role: string, body: string][];
  batch: StoreWrite;
}

/** Every session a batch writes for. */
export function* touchedIds(rows: Rows): Iterable<string> {
  for (const s of rows.sessions) yield s.id;
  for (const e of rows.events) yield e[0];
  for (const t of rows.transcript) yield t[0];
}

export function toRows(batch: StoreWrite): Rows {
  return {
    batch,
    sessions: batch.sessions ?? [],
    events: (batch.events ?? []).map((d) => [d.sessionId, d.seq, d.at, d.type, JSON.stringify(d.data)]),
    transcript: (batch.transcript ?? []).map((draft) => {
      const { sessionId, seq, at, role, ...body } = draft;
      return [sessionId, seq, at, role, JSON.stringify(body)];
    }),
  };
}

const column = <T extends unknown[], K extends number>(rows: T[], k: K): T[K][] => rows.map((r) => r[k]);

// A row it inserts belongs to this node (`$8`, epoch 1, leased for `$9` ms) once the store joined
// a cluster; an update leaves ownership alone (the cluster code moves it).
const UPSERT_SESSIONS = `insert into "sessions" ("id", "owner_id", "work_dir", "status", "created_at", "updated_at", "data",
    "owner_node", "owner_epoch", "lease_until")
  select u.id, u.owner_id, u.work_dir, u.status, u.created_at, u.updated_at, u.data::json,
    $8::text, case when $8::text is null then 0 else 1 end,
    case when $8::text is null then null else ${leaseEnd('$9')} end
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    as u(id, owner_id, work_dir, status, created_at, updated_at, data)
  on conflict ("id") do update set "owner_id" = excluded."owner_id", "work_dir" = excluded."work_dir",
    "status" = excluded."status", "created_at" = excluded."created_at",
    "updated_at" = excluded."updated_at", "data" = excluded."data"`;

// RETURNING yields the rows in the order the SELECT produced them, i.e. array order, so the i-th id
// belongs to the i-th draft.
const INSERT_EVENTS = `insert into "events" ("session_id", "seq", "at", "type", "data")
  select u.session_id, u.seq, u.at, u.type, u.data::json
  from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) as u(session_id, seq, at, type, data)
  returning "id"`;

const INSERT_TRANSCRIPT = `insert into "transcript_entries" ("session_id", "seq", "at", "role", "body")
  select u.session_id, u.seq, u.at, u.role, u.body::json
  from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) as u(session_id, seq, at, role, body)
  returning "id"`;

/**
 * Global ids commit in id order. The event log's `id` is the cursor of the global stream
 * (`listEvents` without `sessionId`, `/v1/events`). A plain identity column is not a safe cursor
 * once several connections (or nodes) write: transaction A takes id 103, B takes 104 and commits
 * first; a reader paging `id > cursor` sees 104, moves its cursor past 103, and never sees A's row.
 *
 * So every transaction that appends events or transcript entries first takes a transaction-level
 * advisory lock (`pg_advisory_xact_lock`, one per schema) and only then draws ids. The lock is held
 * until the transaction ends, and PostgreSQL makes a commit visible before it releases the
 * transaction's locks; so the next writer draws larger ids and its commit becomes visible after the
 * previous one. Ids therefore become visible in increasing order: a reader that has seen id N has
 * already been able to see every committed id below N, and a cursor can never skip a row. Ids may
 * have gaps (a rolled-back transaction) but are never filled in later.
 *
 * The price is that appends are serialised across the whole database: one short transaction at a
 * time (a group of batches per store, several statements each). The write batcher groups a node's
 * concurrent writes, so this is one lock hand-off per group, not per event.
 */
export const LOCK_APPENDS = `select pg_advisory_xact_lock(${LOCK_NAMESPACE + LOCKS.events}, hashtext(current_schema()))`;

/**
 * Writes a group of batches in the caller's transaction, which began with {@link LOCK_APPENDS}
 * when the group appends anything. Resolves with each batch's events and entries, ids assigned.
 */
export async function writeRows(
  client: pg.PoolClient,
  fencing: FenceState,
  group: Rows[],
): Promise<StoreWriteResult[]> {
  // One upsert per session id (the last write of it wins): an upsert cannot touch a row twice.
  const latest = new Map<string, Session>();
  for (const r of group) for (const s of r.sessions) latest.set(s.id, s);
  if (fencing.node) {
    const touched = new Set(latest.keys());
    for (const r of group) {
      for (const e of r.events) touched.add(e[0]);
      for (const t of r.transcript) touched.add(t[0]);
    }
    await fence(client, fencing, touched);
  }
  if (latest.size > 0) {
    const list = [...latest.values()];
    await client.query(UPSERT_SESSIONS, [
      list.map((s) => s.id),
      list.map((s) => s.ownerId ?? null),
      list.map((s) => s.workDir),
      list.map((s) => s.status),
      list.map((s) => s.createdAt),
      list.map((s) => s.updatedAt),
      list.map((s) => JSON.stringify(s)),
      fencing.node,
      fencing.leaseMs,
    ]);
  }
  const events = group.flatMap((r) => r.events);
  const eventIds = events.length
    ? (
        await client.query<{ id: string }>(INSERT_EVENTS, [
          column(events, 0),
          column(events, 1),
          column(events, 2),
          column(events, 3),
          column(events, 4),
        ])
      ).rows.map((r) => Number(r.id))
    : [];
  const entries = group.flatMap((r) => r.transcript);
  const entryIds = entries.length
    ? (
        await client.query<{ id: string }>(INSERT_TRANSCRIPT, [
          column(entries, 0),
          column(entries, 1),
          column(entries, 2),
          column(entries, 3),
          column(entries, 4),
        ])
      ).rows.map((r) => Number(r.id))
    : [];
  // A ledger row per finished turn (rare next to events): one insert and two rollup upserts each.
  for (const r of group) {
    for (const u of r.batch.usage ?? []) {
      await client.query(INSERT_USAGE_TURN, usageTurnValues(u));
      await client.query(UPSERT_USAGE_DAILY, usageDailyValues(u));
      await client.query(UPSERT_USAGE_SESSION_DAILY, usageSessionDailyValues(u));
    }
  }
  let e = 0;
  let t = 0;
  return group.map(({ batch }) => ({
    events: (batch.events ?? []).map((draft) => ({ ...draft, id: eventIds[e++] }) as AegisEvent),
    transcript: (batch.transcript ?? []).map((draft) => ({ ...draft, id: entryIds[t++] as number })),
  }));
}
