import type { AegisEvent, EventDraft } from './events.js';
import type { MemoryEntryStore, PipelineStore, TemplateStore } from './orchestration/resource-store.js';
import type { Session, SessionStatus } from './schemas.js';
import type { ApiKeyStore, AuditStore } from './security-store.js';
import type { TranscriptEntry, TranscriptEntryDraft } from './transcript.js';

export interface SessionQuery {
  status?: SessionStatus[] | undefined;
  workDir?: string | undefined;
  ownerId?: string | undefined;
  limit: number;
  offset: number;
}

export interface EventQuery {
  /** One session's events, by `seq`; omit for the global log, by `id`. */
  sessionId?: string | undefined;
  /** Exclusive lower bound: `seq` when `sessionId` is given, else the global `id`. */
  after?: number | undefined;
  limit: number;
}

export interface TranscriptQuery {
  sessionId: string;
  /** Exclusive: entries with id > after, oldest first. */
  after?: number | undefined;
  /** Exclusive: entries with id < before, newest first. */
  before?: number | undefined;
  roles?: string[] | undefined;
  limit: number;
}

/** One durable batch: everything in it is written in one transaction, or nothing is. */
export interface StoreWrite {
  sessions?: Session[];
  events?: EventDraft[];
  transcript?: TranscriptEntryDraft[];
}

export interface StoreWriteResult {
  events: AegisEvent[];
  transcript: TranscriptEntry[];
}

/**
 * Durable storage. `write` resolves only once the batch is durable; implementations may group
 * concurrent writes into one transaction. Reads see every resolved write.
 */
export interface AegisStore {
  write(batch: StoreWrite): Promise<StoreWriteResult>;
  getSession(id: string): Promise<Session | undefined>;
  listSessions(query: SessionQuery): Promise<{ sessions: Session[]; total: number }>;
  listEvents(query: EventQuery): Promise<AegisEvent[]>;
  listTranscript(query: TranscriptQuery): Promise<TranscriptEntry[]>;
  /** API keys (hashes only). */
  readonly apiKeys: ApiKeyStore;
  /** The hash-chained audit log. */
  readonly audit: AuditStore;
  /** User-defined session templates (built-ins live in code). */
  readonly templates: TemplateStore;
  /** Shared key/value memory. */
  readonly memoryEntries: MemoryEntryStore;
  /** Pipelines: spec and status snapshot. */
  readonly pipelines: PipelineStore;
  close(): Promise<void>;
}
