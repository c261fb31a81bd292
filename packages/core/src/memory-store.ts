import { createMemoryChannelOutbox } from './channel-outbox.js';
import { createMemoryConversationStore } from './conversation-store.js';
import { AegisError } from './errors.js';
import type { AegisEvent } from './events.js';
import { createMemoryIdempotencyStore } from './idempotency-store.js';
import { createMemoryResourceStores } from './orchestration/memory-resource-stores.js';
import { createMemoryRoutineStore } from './routines/store.js';
import type { Session, SessionStatus } from './schemas.js';
import { createMemoryApiKeyStore, createMemoryAuditStore } from './security-store.js';
import type {
  AegisStore,
  EventQuery,
  SessionQuery,
  StoreWrite,
  StoreWriteResult,
  TranscriptQuery,
} from './store.js';
import type { TranscriptEntry } from './transcript.js';
import { aggregateUsage, type UsageRecord } from './usage.js';

/** An in-memory {@link AegisStore} for tests and throwaway embedding. Same semantics as SQLite. */
export function createMemoryStore(): AegisStore {
  const sessions = new Map<string, Session>();
  const events: AegisEvent[] = [];
  const bySession = new Map<string, AegisEvent[]>();
  const transcript = new Map<string, TranscriptEntry[]>();
  let transcriptId = 0;
  const ledger: UsageRecord[] = [];
  let closed = false;
  const open = () => {
    if (closed)
      throw new AegisError(
        'STORE_UNAVAILABLE',
        'The in-memory store is closed; create a new store to continue.',
      );
  };

  const clone = <T>(v: T): T => structuredClone(v);

  return {
    apiKeys: createMemoryApiKeyStore(),
    audit: createMemoryAuditStore(),
    ...createMemoryResourceStores(open),
    routines: createMemoryRoutineStore(open),
    idempotency: createMemoryIdempotencyStore(open),
    channelOutbox: createMemoryChannelOutbox(() => events.length, open),
    conversations: createMemoryConversationStore(open),
    usage: {
      async query(q) {
        open();
        return aggregateUsage(ledger, q);
      },
    },
    async write(batch: StoreWrite): Promise<StoreWriteResult> {
      open();
      for (const u of batch.usage ?? []) ledger.push(clone(u));
      for (const s of batch.sessions ?? []) sessions.set(s.id, clone(s));
      const written: AegisEvent[] = [];
      for (const draft of batch.events ?? []) {
        const event = { ...clone(draft), id: events.length + 1 } as AegisEvent;
        events.push(event);
        let list = bySession.get(event.sessionId);
        if (!list) bySession.set(event.sessionId, (list = []));
        list.push(event);
        written.push(event);
      }
      const entries: TranscriptEntry[] = [];
      for (const draft of batch.transcript ?? []) {
        const entry = { ...clone(draft), id: ++transcriptId };
        let list = transcript.get(entry.sessionId);
        if (!list) transcript.set(entry.sessionId, (list = []));
        list.push(entry);
        entries.push(entry);
      }
      return { events: written, transcript: entries };
    },
    async getSession(id) {
      open();
      const s = sessions.get(id);
      return s && clone(s);
    },
    async listSessions(q: SessionQuery) {
      open();
      const all = [...sessions.values()]
        .filter((s) => !q.status || q.status.includes(s.status))
        .filter((s) => q.workDir === undefined || s.workDir === q.workDir)
        .filter((s) => q.ownerId === undefined || s.ownerId === q.ownerId)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return { sessions: all.slice(q.offset, q.offset + q.limit).map(clone), total: all.length };
    },
    async countSessionsByStatus() {
      open();
      const counts: Partial<Record<SessionStatus, number>> = {};
      for (const s of sessions.values()) counts[s.status] = (counts[s.status] ?? 0) + 1;
      return counts;
    },
    async listEvents(q: EventQuery) {
      open();
      const after = q.after ?? 0;
      if (q.sessionId !== undefined) {
        const list = bySession.get(q.sessionId) ?? [];
        return list
          .filter((e) => e.seq > after)
          .slice(0, q.limit)
          .map(clone);
      }
      return events.slice(after, after + q.limit).map(clone);
    },
    async listTranscript(q: TranscriptQuery) {
      open();
      let list = transcript.get(q.sessionId) ?? [];
      if (q.roles) list = list.filter((e) => q.roles?.includes(e.role));
      if (q.before !== undefined) {
        const before = q.before;
        return list
          .filter((e) => e.id < before)
          .slice(-q.limit)
          .reverse()
          .map(clone);
      }
      const after = q.after ?? 0;
      return list
        .filter((e) => e.id > after)
        .slice(0, q.limit)
        .map(clone);
    },
    async close() {
      closed = true;
    },
  };
}
