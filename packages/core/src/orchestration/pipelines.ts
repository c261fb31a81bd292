import { AegisError } from '../errors.js';
import type { EventListener } from '../event-hub.js';
import type { AegisEvent } from '../events.js';
import type { Actor, CreateSessionInput, CreateSessionResult } from '../sessions-api-types.js';
import { validateStageGraph } from './pipeline-graph.js';
import type { PipelineRecord, PipelineSpec, PipelineStore } from './resource-store.js';
import type { Pipeline, PipelineStage } from './schemas.js';
import type { SessionSpecInput, TemplateService } from './templates.js';

export interface CreatePipelineInput {
  name: string;
  stages: { name: string; spec: SessionSpecInput; dependsOn?: string[] | undefined }[];
}

export interface PipelineDeps {
  store: PipelineStore;
  templates: TemplateService;
  sessions: {
    create(input: CreateSessionInput, actor: Actor): Promise<CreateSessionResult>;
    events(id: string, opts: { after?: number; limit?: number }, actor: Actor): Promise<AegisEvent[]>;
  };
  /** Refuses a workDir sessions may not use (WORKDIR_DENIED); checked for every stage at create. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
  /** Every durable event, as the engine publishes it (on a cluster: every node's). */
  subscribe(listener: EventListener): () => void;
  /** A cluster node: pipeline writes are fenced (see `adopt`), stages start on this node. */
  fenced?: boolean | undefined;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
}

interface Run {
  pipeline: Pipeline;
  spec: PipelineSpec;
  actor: Actor;
  writing: Promise<void>;
  /** Another node took this pipeline over (cluster): this node writes and starts nothing more of it. */
  lost?: boolean;
}

const DONE = new Set(['completed', 'failed', 'skipped']);
const RESTARTED = 'Aegis restarted while this pipeline was running; create it again to rerun it';
const RUNNER_GONE =
  'The node running this pipeline stopped while it was starting this stage, so whether its session started is unknown; create the pipeline again to rerun it';
const CATCH_UP_PAGE = 500;

/**
 * Runs pipelines: each stage is a fresh session, started once every stage it depends on has
 * completed. A stage completes when its session's first turn ends normally; a failed turn, a
 * cancelled turn or an ended session fails it, and every stage depending on it (transitively) is
 * skipped. Each change is written to the store, so a pipeline can be read after a restart.
 */
export function createPipelineService(deps: PipelineDeps) {
  const runs = new Map<string, Run>();
  const bySession = new Map<string, { run: Run; stage: PipelineStage }>();
  const stamp = () => deps.now().toISOString();
  const visible = (p: Pipeline, actor: Actor) => actor.admin === true || p.ownerId === actor.id;
  const unsubscribe = deps.subscribe(onEvent);

  /**
   * Writes the current snapshot; writes of one pipeline are chained so they land in order. On a
   * cluster a write is refused (`LEASE_LOST`) once another node took the pipeline over: this node
   * then forgets it and starts none of its stages.
   */
  function persist(run: Run): void {
    if (run.lost) return;
    run.pipeline.updatedAt = stamp();
    const record: PipelineRecord = structuredClone({ pipeline: run.pipeline, spec: run.spec });
    run.writing = run.writing
      .then(() => deps.store.put(record))
      .catch((err) => {
        if (err instanceof AegisError && err.code === 'LEASE_LOST') forget(run);
        else deps.onError(err, `saving pipeline ${run.pipeline.id}`);
      });
  }

  function forget(run: Run): void {
    run.lost = true;
    if (runs.get(run.pipeline.id) === run) runs.delete(run.pipeline.id);
    for (const [sessionId, t] of bySession) if (t.run === run) bySession.delete(sessionId);
  }

  function finishStage(run: Run, stage: PipelineStage, status: 'completed' | 'failed', error: string | null) {
    if (stage.status !== 'running') return;
    stage.status = status;
    stage.endedAt = stamp();
    stage.error = error;
    if (stage.sessionId) bySession.delete(stage.sessionId);
    advance(run);
  }

  function onEvent(e: AegisEvent): void {
    const tracked = bySession.get(e.sessionId);
    if (!tracked) return;
    const { run, stage } = tracked;
    if (e.type === 'turn.completed') {
      if (e.data.stopReason === 'cancelled')
        finishStage(run, stage, 'failed', 'The first turn was cancelled.');
      else finishStage(run, stage, 'completed', null);
    } else if (e.type === 'turn.failed') {
      finishStage(run, stage, 'failed', `The first turn failed: ${e.data.problem.message}`);
    } else if (e.type === 'session.ended') {
      finishStage(
        run,
        stage,
        'failed',
        `The session ended (${e.data.status}) before its first turn finished: ${e.data.reason}`,
      );
    }
  }

  /** Skips stages behind a failure, starts stages whose dependencies completed, settles the pipeline. */
  function advance(run: Run): void {
    const p = run.pipeline;
    const byName = new Map(p.stages.map((s) => [s.name, s]));
    let changed = true;
    while (changed) {
      changed = false;
      for (const s of p.stages) {
        if (s.status !== 'pending') continue;
        const blocked = s.dependsOn.find((d) => {
          const st = byName.get(d)?.status;
          return st === 'failed' || st === 'skipped';
        });
        if (blocked) {
          s.status = 'skipped';
          s.endedAt = stamp();
          s.error = `Skipped: stage "${blocked}" did not complete.`;
          changed = true;
        }
      }
    }
    for (const s of p.stages) {
      if (s.status === 'pending' && s.dependsOn.every((d) => byName.get(d)?.status === 'completed')) {
        startStage(run, s);
      }
    }
    if (p.status === 'running' && p.stages.every((s) => DONE.has(s.status))) {
      const failed = p.stages.filter((s) => s.status === 'failed').map((s) => s.name);
      p.status = failed.length > 0 ? 'failed' : 'completed';
      p.endedAt = stamp();
      p.error =
        failed.length > 0 ? `Stage${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed.` : null;
    }
    persist(run);
    // A settled pipeline is read from the store once its last snapshot is written.
    if (p.status !== 'running') void run.writing.then(() => runs.delete(p.id));
  }

  function startStage(run: Run, stage: PipelineStage): void {
    const spec = run.spec.stages.find((s) => s.name === stage.name)?.spec;
    stage.status = 'running';
    stage.startedAt = stamp();
    void (async () => {
      try {
        if (deps.fenced) {
          // Written before the session starts: a node that lost the pipeline learns it here.
          persist(run);
          await run.writing;
          if (run.lost) return;
        }
        if (!spec) throw new AegisError('INTERNAL', `Stage ${stage.name} has no stored spec.`);
        const { session } = await deps.sessions.create(
          { ...spec, name: spec.name ?? `${run.pipeline.name}/${stage.name}`, reuse: false },
          run.actor,
        );
        stage.sessionId = session.id;
        bySession.set(session.id, { run, stage });
        persist(run);
        await catchUp(session.id, run.actor);
      } catch (err) {
        const message = AegisError.fromUnknown(err).message;
        if (stage.sessionId)
          finishStage(run, stage, 'failed', `Lost track of the stage's session: ${message}`);
        else finishStage(run, stage, 'failed', `Could not start the stage's session: ${message}`);
      }
    })();
  }

  /** Replays what the session did before it was tracked: its first turn may already have ended. */
  async function catchUp(sessionId: string, actor: Actor): Promise<void> {
    let after = 0;
    while (bySession.has(sessionId)) {
      const page = await deps.sessions.events(sessionId, { after, limit: CATCH_UP_PAGE }, actor);
      for (const e of page) onEvent(e);
      if (page.length < CATCH_UP_PAGE) return;
      after = page.at(-1)?.seq ?? after;
    }
  }

  /** Goes on with a pipeline another node (or a previous process of this one) ran (cluster). */
  function adoptRun(record: PipelineRecord): void {
    const p = record.pipeline;
    if (runs.has(p.id) || p.status !== 'running') return;
    const run: Run = {
      pipeline: p,
      spec: record.spec,
      actor: { id: p.ownerId, forwarded: deps.fenced },
      writing: Promise.resolve(),
    };
    runs.set(p.id, run);
    const at = stamp();
    const follow: { stage: PipelineStage; sessionId: string }[] = [];
    for (const s of p.stages) {
      if (s.status !== 'running') continue;
      if (s.sessionId) follow.push({ stage: s, sessionId: s.sessionId });
      else Object.assign(s, { status: 'failed', endedAt: at, error: RUNNER_GONE });
    }
    for (const f of follow) bySession.set(f.sessionId, { run, stage: f.stage });
    advance(run);
    // The stages' sessions went on while nobody followed them: their first turns may have ended.
    for (const f of follow) {
      void catchUp(f.sessionId, run.actor).catch((err) => {
        if (bySession.get(f.sessionId)?.stage === f.stage)
          finishStage(
            run,
            f.stage,
            'failed',
            `Lost track of the stage's session: ${AegisError.fromUnknown(err).message}`,
          );
      });
    }
  }

  async function get(id: string, actor: Actor): Promise<Pipeline> {
    const running = runs.get(id);
    const p = running ? structuredClone(running.pipeline) : (await deps.store.get(id))?.pipeline;
    if (!p || !visible(p, actor)) {
      throw new AegisError('NOT_FOUND', `Pipeline ${id} does not exist. List the pipelines.`, {
        details: { pipelineId: id, next: 'listPipelines' },
      });
    }
    return p;
  }

  return {
    /** Validates the stage graph and templates, stores the pipeline and starts its first stages. */
    async create(input: CreatePipelineInput, actor: Actor): Promise<Pipeline> {
      validateStageGraph(input.stages);
      const stages: PipelineSpec['stages'] = [];
      for (const s of input.stages) {
        let spec: CreateSessionInput;
        try {
          spec = await deps.templates.resolve(s.spec, actor);
          // A stage whose workDir is not allowed would only fail when it starts, maybe hours later.
          await deps.resolveWorkDir?.(spec.workDir);
        } catch (err) {
          const e = AegisError.fromUnknown(err);
          throw new AegisError(e.code, `Stage "${s.name}": ${e.message}`, {
            cause: e,
            details: { ...e.details, stage: s.name },
          });
        }
        if (!spec.prompt) {
          throw AegisError.validation(
            `Stage "${s.name}" has no prompt; a stage completes when its first turn ends, so give it a \`prompt\` (or a template with one).`,
            { stage: s.name },
          );
        }
        stages.push({ name: s.name, dependsOn: [...new Set(s.dependsOn ?? [])], spec });
      }
      const at = stamp();
      const pipeline: Pipeline = {
        id: globalThis.crypto.randomUUID(),
        name: input.name,
        status: 'running',
        ownerId: actor.id,
        createdAt: at,
        updatedAt: at,
        endedAt: null,
        error: null,
        stages: stages.map((s) => ({
          name: s.name,
          status: 'pending',
          dependsOn: s.dependsOn,
          sessionId: null,
          startedAt: null,
          endedAt: null,
          error: null,
        })),
      };
      const run: Run = {
        pipeline,
        spec: { name: input.name, stages },
        actor: { id: actor.id, forwarded: deps.fenced },
        writing: Promise.resolve(),
      };
      await deps.store.put(structuredClone({ pipeline, spec: run.spec }));
      runs.set(pipeline.id, run);
      advance(run);
      return structuredClone(pipeline);
    },

    get,

    /** Newest first; non-admins see their own pipelines only. */
    async list(query: { page?: number | undefined; limit?: number | undefined }, actor: Actor) {
      const limit = query.limit ?? 20;
      const page = query.page ?? 1;
      const result = await deps.store.list({
        ownerId: actor.admin ? undefined : actor.id,
        limit,
        offset: (page - 1) * limit,
      });
      const pipelines = result.pipelines.map((p) => {
        const r = runs.get(p.id);
        return r ? structuredClone(r.pipeline) : p;
      });
      return { pipelines, total: result.total, page, limit };
    },

    /**
     * Marks pipelines a previous process left running as failed (their sessions are gone). Call once
     * at start-up. Returns their ids.
     */
    async recover(): Promise<string[]> {
      const ids: string[] = [];
      for (const record of await deps.store.listRunning()) {
        if (runs.has(record.pipeline.id)) continue;
        const at = stamp();
        const p = record.pipeline;
        for (const s of p.stages) {
          if (s.status === 'running') Object.assign(s, { status: 'failed', endedAt: at, error: RESTARTED });
          else if (s.status === 'pending')
            Object.assign(s, { status: 'skipped', endedAt: at, error: RESTARTED });
        }
        Object.assign(p, { status: 'failed', endedAt: at, updatedAt: at, error: RESTARTED });
        await deps.store.put(record);
        ids.push(p.id);
      }
      return ids;
    },

    /**
     * On a cluster: goes on with running pipelines this node took over from a node that stopped.
     * Stages whose sessions run are followed again (what they did meanwhile is read back); a stage
     * that was being started when its node stopped fails (whether its session exists is unknown).
     */
    adopt(records: PipelineRecord[]): void {
      for (const r of records) adoptRun(r);
    },

    /**
     * Stops the running pipelines created by `ownerId` (a revoked key) from starting more stages:
     * their pending stages are skipped and each pipeline fails with `reason` at once. Stages already
     * running keep their sessions and are still recorded as they end. Returns the pipelines' ids.
     */
    stopOwnedBy(ownerId: string, reason: string): string[] {
      const ids: string[] = [];
      for (const run of runs.values()) {
        const p = run.pipeline;
        if (p.status !== 'running' || run.actor.id !== ownerId) continue;
        const at = stamp();
        for (const s of p.stages) {
          if (s.status === 'pending')
            Object.assign(s, { status: 'skipped', endedAt: at, error: `Skipped: ${reason}` });
        }
        Object.assign(p, { status: 'failed', endedAt: at, error: reason });
        persist(run);
        void run.writing.then(() => runs.delete(p.id));
        ids.push(p.id);
      }
      return ids;
    },

    /** Stops listening and waits until every snapshot is written. */
    async close(): Promise<void> {
      unsubscribe();
      await Promise.all([...runs.values()].map((r) => r.writing));
    },
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
