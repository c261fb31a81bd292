import type { AegisEvent } from '../events.js';
import type { StoreWrite, StoreWriteResult } from '../store.js';
import type { TranscriptEntry } from '../transcript.js';
import {
  USAGE_TURN_COLUMNS,
  usageDailyUpsert,
  usageDailyValues,
  usageSessionDailyUpsert,
  usageSessionDailyValues,
  usageTurnValues,
} from '../usage-sql.js';
import type { AegisDatabase } from './open-database.js';
import { callerError, isCallerError } from './store-errors.js';
import type { ItemOutcome } from './write-batcher.js';

/**
 * The SQLite store's write path, prepared on `client`: the returned function writes a group of
 * batches in one IMMEDIATE transaction and answers each batch on its own (a caller error rejects
 * only that batch).
 */
export function createRowWriter(
  client: AegisDatabase['$client'],
): (batches: StoreWrite[]) => ItemOutcome<StoreWriteResult>[] {
  // Raw statements on the write path: drizzle's per-call parameter mapping cost more than the upsert.
  const upsertSession = client.prepare(
    `insert into "sessions" ("id", "owner_id", "work_dir", "status", "created_at", "updated_at", "data")
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict ("id") do update set "owner_id" = excluded."owner_id", "work_dir" = excluded."work_dir",
       "status" = excluded."status", "created_at" = excluded."created_at",
       "updated_at" = excluded."updated_at", "data" = excluded."data"`,
  );

  function writeOne(batch: StoreWrite): StoreWriteResult {
    for (const s of batch.sessions ?? []) {
      upsertSession.run(
        s.id,
        s.ownerId ?? null,
        s.workDir,
        s.status,
        s.createdAt,
        s.updatedAt,
        JSON.stringify(s),
      );
    }
    // The hot path (one row per streamed chunk) goes to better-sqlite3 directly: drizzle's mapping
    // per row cost more than the insert. Results are shallow copies; drafts are not reused by callers.
    const written: AegisEvent[] = [];
    for (const draft of batch.events ?? []) {
      const { lastInsertRowid } = insertEventRaw.run(
        draft.sessionId,
        draft.seq,
        draft.at,
        draft.type,
        JSON.stringify(draft.data),
      );
      written.push({ ...draft, id: Number(lastInsertRowid) } as AegisEvent);
    }
    const entries: TranscriptEntry[] = [];
    for (const draft of batch.transcript ?? []) {
      const { sessionId, seq, at, role, ...body } = draft;
      const { lastInsertRowid } = insertTranscriptRaw.run(sessionId, seq, at, role, JSON.stringify(body));
      entries.push({ ...draft, id: Number(lastInsertRowid) });
    }
    for (const u of batch.usage ?? []) {
      insertUsageTurn.run(...usageTurnValues(u));
      upsertUsageDaily.run(...usageDailyValues(u));
      upsertUsageSessionDaily.run(...usageSessionDailyValues(u));
    }
    return { events: written, transcript: entries };
  }
  const insertUsageTurn = client.prepare(
    `insert into "usage_turns" (${USAGE_TURN_COLUMNS}) values (${Array(17).fill('?').join(', ')})`,
  );
  const upsertUsageDaily = client.prepare(usageDailyUpsert(() => '?'));
  const upsertUsageSessionDaily = client.prepare(usageSessionDailyUpsert(() => '?'));
  const insertEventRaw = client.prepare(
    'insert into "events" ("session_id", "seq", "at", "type", "data") values (?, ?, ?, ?, ?)',
  );
  const insertTranscriptRaw = client.prepare(
    'insert into "transcript_entries" ("session_id", "seq", "at", "role", "body") values (?, ?, ?, ?, ?)',
  );

  // Nested better-sqlite3 transactions are savepoints: one caller's bad batch (say a duplicate seq)
  // is rolled back and rejected alone, while the others in the group still commit.
  const writeSavepoint = client.transaction(writeOne);
  const commitGroup = client.transaction((batches: StoreWrite[]): ItemOutcome<StoreWriteResult>[] =>
    batches.map((batch) => {
      try {
        return { ok: true, value: writeSavepoint(batch) };
      } catch (err) {
        if (!isCallerError(err) || !client.inTransaction) throw err;
        return { ok: false, error: callerError(err) };
      }
    }),
  );

  // The usual group has no bad batch, so it is written without a savepoint per batch (two extra
  // statements per streamed event); a caller error rolls that back and the group is redone above.
  const commitPlain = client.transaction((batches: StoreWrite[]): ItemOutcome<StoreWriteResult>[] =>
    batches.map((batch) => ({ ok: true, value: writeOne(batch) })),
  );
  const commitAll = (batches: StoreWrite[]): ItemOutcome<StoreWriteResult>[] => {
    try {
      return commitPlain.immediate(batches);
    } catch (err) {
      if (!isCallerError(err)) throw err;
      return commitGroup.immediate(batches);
    }
  };

  return commitAll;
}
