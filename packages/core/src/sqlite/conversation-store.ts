import { noConversationToAppendTo } from '../conversation-store.js';
import type { ConversationPiece, ConversationSnapshot } from '../driver.js';
import { AegisError } from '../errors.js';
import type { ConversationStore } from '../store.js';
import type { AegisDatabase } from './open-database.js';
import { closedError, unavailable } from './store-errors.js';

/** SQLite {@link ConversationStore}: a row per session, replaced by a whole capture, and the pieces appended to it. */
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
  const selectPieces = client.prepare(
    'select "files" from "agent_conversation_pieces" where "session_id" = ? order by "n"',
  );
  const deletePieces = client.prepare('delete from "agent_conversation_pieces" where "session_id" = ?');
  const touch = client.prepare(
    'update "agent_conversations" set "bytes" = ?, "captured_at" = ? where "session_id" = ? and "agent_session_id" = ?',
  );
  const insertPiece = client.prepare(
    `insert into "agent_conversation_pieces" ("session_id", "n", "files")
     values (?, coalesce((select max("n") from "agent_conversation_pieces" where "session_id" = ?), 0) + 1, ?)`,
  );
  const put = client.transaction((sessionId: string, s: ConversationSnapshot) => {
    upsert.run(sessionId, s.agentSessionId, s.bytes, s.capturedAt, JSON.stringify(s.files));
    deletePieces.run(sessionId);
  });
  const append = client.transaction((sessionId: string, s: ConversationSnapshot) => {
    if (touch.run(s.bytes, s.capturedAt, sessionId, s.agentSessionId).changes === 0) {
      throw noConversationToAppendTo(sessionId, s.agentSessionId);
    }
    insertPiece.run(sessionId, sessionId, JSON.stringify(s.files));
  });
  function guard<T>(verb: string, fn: () => T): Promise<T> {
    if (opts.isClosed()) return Promise.reject(closedError(opts.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      if (err instanceof AegisError) return Promise.reject(err);
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
        const files = JSON.parse(row.files) as ConversationPiece[];
        for (const piece of selectPieces.all(sessionId) as { files: string }[]) {
          files.push(...(JSON.parse(piece.files) as ConversationPiece[]));
        }
        return { agentSessionId: row.agent_session_id, bytes: row.bytes, capturedAt: row.captured_at, files };
      });
    },
    put(sessionId, s) {
      return guard('write to', () => put(sessionId, s));
    },
    append(sessionId, s) {
      return guard('write to', () => append(sessionId, s));
    },
  };
}
