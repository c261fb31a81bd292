import type { ConversationSnapshot } from '../driver.js';
import type { ConversationStore } from '../store.js';
import type { AegisDatabase } from './open-database.js';
import { closedError, unavailable } from './store-errors.js';

/** SQLite {@link ConversationStore}: one row per session, replaced on each capture. */
export function createSqliteConversationStore(
  db: AegisDatabase,
  opts: { path: string; isClosed: () => boolean },
): ConversationStore {
  const client = db.$client;
  const select = client.prepare(
    'select "agent_session_id", "bytes", "captured_at", "files" from "agent_conversations" where "session_id" = ?',
  );
  const upsert = client.prepare(
    `insert into "agent_conversations" ("session_id", "agent_session_id", "bytes", "captured_at", "files")
     values (?, ?, ?, ?, ?)
     on conflict ("session_id") do update set "agent_session_id" = excluded."agent_session_id",
       "bytes" = excluded."bytes", "captured_at" = excluded."captured_at", "files" = excluded."files"`,
  );
  function guard<T>(verb: string, fn: () => T): Promise<T> {
    if (opts.isClosed()) return Promise.reject(closedError(opts.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(unavailable(opts.path, verb, err, 'Check the database file and retry.'));
    }
  }
  return {
    get(sessionId) {
      return guard('read from', () => {
        const row = select.get(sessionId) as
          | { agent_session_id: string; bytes: number; captured_at: string; files: string }
          | undefined;
        if (!row) return undefined;
        return {
          agentSessionId: row.agent_session_id,
          bytes: row.bytes,
          capturedAt: row.captured_at,
          files: JSON.parse(row.files) as ConversationSnapshot['files'],
        };
      });
    },
    put(sessionId, s) {
      return guard('write to', () => {
        upsert.run(sessionId, s.agentSessionId, s.bytes, s.capturedAt, JSON.stringify(s.files));
      });
    },
  };
}
