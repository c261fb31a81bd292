import { and, asc, eq, sql } from 'drizzle-orm';
import { noConversationToAppendTo, storedConversation } from '../conversation-store.js';
import type { ConversationPiece } from '../driver.js';
import type { ConversationStore } from '../store.js';
import { type GuardContext, guarded } from './guard.js';
import type { PgDatabase } from './open-database.js';
import { agentConversationPieces, agentConversations } from './schema.js';

/**
 * The agent conversation snapshots: a row per session, replaced by a whole capture, and the pieces
 * later captures appended to it (so a turn's end writes the turn's bytes, not the whole files).
 */
export function createPgConversationStore(db: PgDatabase, ctx: GuardContext): ConversationStore {
  return {
    get(sessionId) {
      return guarded(ctx, 'read from', async () => {
        const [row] = await db
          .select()
          .from(agentConversations)
          .where(eq(agentConversations.sessionId, sessionId));
        if (!row) return undefined;
        const pieces = await db
          .select({ files: agentConversationPieces.files })
          .from(agentConversationPieces)
          .where(eq(agentConversationPieces.sessionId, sessionId))
          .orderBy(asc(agentConversationPieces.n));
        const files = [...(row.files as ConversationPiece[])];
        for (const p of pieces) files.push(...(p.files as ConversationPiece[]));
        return { agentSessionId: row.agentSessionId, bytes: row.bytes, capturedAt: row.capturedAt, files };
      });
    },
    put(sessionId, s) {
      return guarded(ctx, 'write to', () =>
        db.transaction(async (tx) => {
          const values = { sessionId, ...storedConversation(s) };
          await tx
            .insert(agentConversations)
            .values(values)
            .onConflictDoUpdate({ target: agentConversations.sessionId, set: values });
          await tx.delete(agentConversationPieces).where(eq(agentConversationPieces.sessionId, sessionId));
        }),
      );
    },
    append(sessionId, s) {
      return guarded(ctx, 'write to', () =>
        db.transaction(async (tx) => {
          // Takes the snapshot's row lock, so two appends to one session cannot both pick the same `n`.
          const touched = await tx
            .update(agentConversations)
            .set({ bytes: s.bytes, capturedAt: s.capturedAt })
            .where(
              and(
                eq(agentConversations.sessionId, sessionId),
                eq(agentConversations.agentSessionId, s.agentSessionId),
              ),
            )
            .returning({ sessionId: agentConversations.sessionId });
          if (touched.length === 0) throw noConversationToAppendTo(sessionId, s.agentSessionId);
          await tx.insert(agentConversationPieces).values({
            sessionId,
            n: sql`(select coalesce(max("n"), 0) + 1 from "agent_conversation_pieces" where "session_id" = ${sessionId})`,
            files: s.files,
          });
        }),
      );
    },
  };
}
