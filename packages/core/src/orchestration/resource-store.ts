import type { CreateSessionInput } from '../sessions-api-types.js';
import type { MemoryEntry, Pipeline, Template } from './schemas.js';

/** Session templates. Built-ins are not stored; they live in code. */
export interface TemplateStore {
  /** `ownerId` undefined → every owner's templates; `null` → the local user's. Sorted by name. */
  list(query?: { ownerId?: string | null | undefined }): Promise<Template[]>;
  get(id: string): Promise<Template | undefined>;
  /** Inserts or replaces by id. Rejects with `CONFLICT` when another template of the same owner has the name. */
  put(template: Template): Promise<Template>;
  delete(id: string): Promise<boolean>;
}

/** Key/value memory. Every read takes `now` (ISO-8601) and never returns an entry expired at that time. */
export interface MemoryEntryStore {
  get(key: string, now: string): Promise<MemoryEntry | undefined>;
  put(entry: MemoryEntry): Promise<MemoryEntry>;
  /** Live entries whose key starts with `prefix`, by key. */
  list(query: { prefix?: string | undefined; limit: number; now: string }): Promise<MemoryEntry[]>;
  /** False when there was no live entry. */
  delete(key: string, now: string): Promise<boolean>;
  /** Removes entries expired at `now`; returns how many. */
  deleteExpired(now: string): Promise<number>;
}

/** What a pipeline was asked to run: each stage's resolved session spec. */
export interface PipelineSpec {
  name: string;
  stages: { name: string; dependsOn: string[]; spec: CreateSessionInput }[];
}

export interface PipelineRecord {
  pipeline: Pipeline;
  spec: PipelineSpec;
}

export interface PipelineStore {
  /** Inserts or replaces by `pipeline.id`. */
  put(record: PipelineRecord): Promise<void>;
  get(id: string): Promise<PipelineRecord | undefined>;
  /** Newest first; `ownerId` undefined → every owner's. */
  list(query: {
    ownerId?: string | null | undefined;
    limit: number;
    offset: number;
  }): Promise<{ pipelines: Pipeline[]; total: number }>;
  /** Every pipeline whose status is `running`. */
  listRunning(): Promise<PipelineRecord[]>;
}

/** The orchestration part of a store; an {@link AegisStore} carries all three. */
export interface ResourceStores {
  readonly templates: TemplateStore;
  readonly memoryEntries: MemoryEntryStore;
  readonly pipelines: PipelineStore;
}
