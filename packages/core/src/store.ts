import type { ChannelOutboxStore } from './channel-outbox.js';
import type { ClusterStore } from './cluster-store.js';
import type { ConversationSnapshot } from './driver.js';
import type { AegisEvent, EventDraft } from './events.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { MemoryEntryStore, PipelineStore, TemplateStore } from './orchestration/resource-store.js';
import type { RoutineStore } from './routines/store.js';
import type { Session, SessionStatus } from './schemas.js';
import type { ApiKeyStore, AuditStore } from './security-store.js';
import type { TranscriptEntry, TranscriptEntryDraft } from './transcript.js';
import type { UsageRecord, UsageStore } from './usage.js';

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
  /** Usage-ledger rows (one per finished turn), written with the event that ends the turn. */
  usage?: UsageRecord[];
}

export interface StoreWriteResult {
  events: AegisEvent[];
  transcript: TranscriptEntry[];
}

export interface StoreWriteOptions {
  /**
   * For a live session's events: when the store fails (disk full, I/O error, a lock held
   * elsewhere), keep the batch in memory and retry it, in order, until it commits, instead of
   * failing it, so the session's log never gets a gap. Later writes queue behind it. The caller
   * bounds how much it holds by watching {@link AegisStore.pressure}. Default `false`: fail.
   */
  hold?: boolean | undefined;
}

/** Writes waiting because the store keeps failing. */
export interface StorePressure {
  /** ISO time of the first failed attempt. */
  since: string;
  /** How long writes have been failing or catching up, in ms. */
  forMs: number;
  /** What the last attempt failed with (the driver's message). */
  reason: string;
  /** The driver's error code, e.g. `SQLITE_FULL`, `SQLITE_IOERR_WRITE`, `SQLITE_BUSY`. */
  code: string | null;
  /** The failure is a lock held elsewhere (it passes by itself), not a full disk or an I/O error. */
  transient: boolean;
  /** `false` once writes commit again and the backlog is being written out. */
  failing: boolean;
  /** Writes waiting, and their approximate size in bytes. */
  heldWrites: number;
  heldBytes: number;
  /** Where the data lives (e.g. the database file's directory): what to free space in. */
  location: string | null;
}

/**
 * Durable storage. `write` resolves only once the batch is durable; implementations may group
 * concurrent writes into one transaction. Reads see every resolved write.
 */
export interface AegisStore {
  write(batch: StoreWrite, options?: StoreWriteOptions): Promise<StoreWriteResult>;
  /** Writes held while the store fails (see {@link StoreWriteOptions.hold}); `null` when writes go through. */
  pressure?(): StorePressure | null;
  getSession(id: string): Promise<Session | undefined>;
  listSessions(query: SessionQuery): Promise<{ sessions: Session[]; total: number }>;
  /**
   * How many sessions are in each state (states with none may be left out), in one query: health,
   * `/metrics` and the server info ask on every call. Optional for stores of other makers; without
   * it the count is a `listSessions` per state.
   */
  countSessionsByStatus?(): Promise<Partial<Record<SessionStatus, number>>>;
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
  /** Routines (scheduled sessions and pipelines) and their runs. */
  readonly routines: RoutineStore;
  /** The agent's own conversation files of each session, captured at turn boundaries. */
  readonly conversations: ConversationStore;
  /** Present when several Aegis nodes can share this store (PostgreSQL): ownership and fencing. */
  readonly cluster?: ClusterStore | undefined;
  /** Requests sent with an `Idempotency-Key` and their first responses, shared by every server on the store. */
  readonly idempotency: IdempotencyStore;
  /** The usage ledger: a row per turn (written through {@link StoreWrite.usage}), read grouped. */
  readonly usage: UsageStore;
  /** Notification channels' deliveries (Telegram, Slack, email); absent in stores that keep none. */
  readonly channelOutbox?: ChannelOutboxStore | undefined;
  close(): Promise<void>;
}

/** One conversation snapshot per session, replaced or added to as the conversation grows. */
export interface ConversationStore {
  /** The snapshot with every piece appended since it was put, in order. */
  get(sessionId: string): Promise<ConversationSnapshot | undefined>;
  /** Replaces the session's snapshot (and the pieces appended to it). */
  put(sessionId: string, snapshot: ConversationSnapshot): Promise<void>;
  /**
   * Adds the pieces of an `appended` snapshot after what the session's snapshot holds, and takes
   * its `bytes` and `capturedAt`. Optional: without it every capture copies the whole files.
   */
  append?(sessionId: string, snapshot: ConversationSnapshot): Promise<void>;
}
