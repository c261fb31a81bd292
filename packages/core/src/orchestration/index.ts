import type { EventListener } from '../event-hub.js';
import type { AegisEvent } from '../events.js';
import { createRoutineService } from '../routines/service.js';
import { engineTargets } from '../routines/targets.js';
import type { Session } from '../schemas.js';
import type { Actor, CreateSessionInput, CreateSessionResult } from '../sessions-api-types.js';
import type { AegisStore } from '../store.js';
import { createBatchService } from './batch.js';
import { createMemoryService } from './memory.js';
import { createPipelineService } from './pipelines.js';
import { createTemplateService } from './templates.js';

export interface OrchestrationDeps {
  store: AegisStore;
  sessions: {
    create(input: CreateSessionInput, actor: Actor): Promise<CreateSessionResult>;
    kill(id: string, actor: Actor): Promise<Session>;
    events(id: string, opts: { after?: number; limit?: number }, actor: Actor): Promise<AegisEvent[]>;
  };
  /** The engine's workDir check (allowed directories), applied to pipeline stages at create. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
  subscribe(listener: EventListener): () => void;
  /** A cluster node (see the pipeline service). */
  fenced?: boolean | undefined;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
}

/** Templates, memory, batch and pipelines on top of the session engine. */
export function createOrchestration(deps: OrchestrationDeps) {
  const templates = createTemplateService({ store: deps.store.templates, now: deps.now });
  const memory = createMemoryService({ store: deps.store.memoryEntries, now: deps.now });
  const batch = createBatchService({ sessions: deps.sessions, templates });
  const pipelines = createPipelineService({
    store: deps.store.pipelines,
    templates,
    sessions: deps.sessions,
    resolveWorkDir: deps.resolveWorkDir,
    subscribe: deps.subscribe,
    fenced: deps.fenced,
    now: deps.now,
    onError: deps.onError,
  });
  const routines = createRoutineService({
    store: deps.store.routines,
    templates,
    targets: engineTargets({
      templates,
      sessions: deps.sessions,
      pipelines,
      getSession: (id) => deps.store.getSession(id),
      pipelineStore: deps.store.pipelines,
    }),
    resolveWorkDir: deps.resolveWorkDir,
    now: deps.now,
    onError: deps.onError,
  });
  return { templates, memory, batch, pipelines, routines };
}
