import { AegisError } from '../errors.js';
import { validateStageGraph } from '../orchestration/pipeline-graph.js';
import type { SessionSpecInput, TemplateService } from '../orchestration/templates.js';
import type { Actor } from '../sessions-api-types.js';
import { checkTimezone, fieldError, parseSchedule, previewSchedule } from './schedule.js';
import {
  createRoutineScheduler,
  type RoutineScheduler,
  type RoutineSchedulerOptions,
  type RoutineTargets,
} from './scheduler.js';
import type { Routine, RoutineInput, RoutineRun } from './schemas.js';
import type { RoutineStore } from './store.js';
import { targetSessionSpec } from './targets.js';

export interface RoutineServiceDeps {
  store: RoutineStore;
  templates: TemplateService;
  targets: RoutineTargets;
  /** The engine's workDir check, applied to the target at create and update. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
}

/** Fields `update` may change; absent ones keep their value. */
export type RoutinePatch = Partial<RoutineInput>;

/** Options of {@link RoutineService.startScheduler}; the store and targets are the service's. */
export type SchedulerStartOptions = Omit<
  RoutineSchedulerOptions,
  'store' | 'targets' | 'actorFor' | 'onError'
> & {
  actorFor?: RoutineSchedulerOptions['actorFor'] | undefined;
};

/** Who a routine acts as when nothing better is known: its owner with the role it was made with. */
export const ownerActor = (r: Routine): Actor => ({
  id: r.ownerId,
  admin: r.ownerId === null || r.ownerRole === 'admin',
  role: r.ownerRole ?? undefined,
});

const PREVIEW_MAX = 50;

/**
 * Routines: sessions, template sessions and pipelines started on a schedule. Owners see and change
 * their own routines, admins every one (as sessions). Invalid schedules, unknown time zones and
 * templates that do not exist are refused with a 400 naming the field.
 */
export function createRoutineService(deps: RoutineServiceDeps) {
  const { store } = deps;
  let scheduler: RoutineScheduler | undefined;
  let actorFor: RoutineSchedulerOptions['actorFor'] = async (r) => ownerActor(r);
  const visible = (r: Routine, actor: Actor) => actor.admin === true || r.ownerId === actor.id;
  const notFound = (id: string) =>
    new AegisError('NOT_FOUND', `Routine ${id} not found; list yours.`, {
      details: { id, next: 'listRoutines' },
    });

  async function get(id: string, actor: Actor): Promise<Routine> {
    const r = await store.get(id);
    if (!r || !visible(r, actor)) throw notFound(id);
    return r;
  }

  async function checkTemplate(spec: SessionSpecInput, path: string, actor: Actor): Promise<void> {
    if (spec.templateId === undefined) return;
    await deps.templates.resolve(spec, actor).catch((err: unknown) => {
      if (err instanceof AegisError && err.code === 'NOT_FOUND') {
        throw fieldError(
          path,
          `no template "${spec.templateId}" that you can use; list the templates`,
          'listTemplates',
        );
      }
      throw err;
    });
  }

  /** Checks what a routine would start: its template(s) exist and its workDir(s) may be used. */
  async function checkTarget(target: Routine['target'], actor: Actor): Promise<void> {
    const spec = targetSessionSpec(target);
    if (spec) {
      await checkTemplate(
        spec,
        'template' in target ? 'target.template' : 'target.session.templateId',
        actor,
      );
      await deps.resolveWorkDir?.(spec.workDir);
      return;
    }
    const { stages } = (
      target as {
        pipeline: { stages: { name: string; spec: SessionSpecInput; dependsOn?: string[] | undefined }[] };
      }
    ).pipeline;
    validateStageGraph(stages);
    for (const [i, stage] of stages.entries()) {
      await checkTemplate(stage.spec, `target.pipeline.stages.${i}.spec.templateId`, actor);
      await deps.resolveWorkDir?.(stage.spec.workDir);
    }
  }

  /** Validates schedule and time zone; the next due time after now (null when paused). */
  function nextFire(r: Pick<Routine, 'schedule' | 'timezone' | 'enabled'>): {
    next: string | null;
    kind: Routine['scheduleKind'];
  } {
    const timezone = checkTimezone(r.timezone);
    const schedule = parseSchedule(r.schedule, timezone);
    const next = schedule.next(deps.now());
    if (!next) throw fieldError('schedule', `"${r.schedule}" has no due time after now; give a future time`);
    return { next: r.enabled ? next.toISOString() : null, kind: schedule.kind };
  }

  function theScheduler(): RoutineScheduler {
    scheduler ??= createRoutineScheduler({
      store,
      targets: deps.targets,
      actorFor: (r) => actorFor(r),
      clock: { now: deps.now, setTimer: () => () => {} },
      onError: deps.onError,
    });
    return scheduler;
  }

  function createScheduler(opts: SchedulerStartOptions = {}): RoutineScheduler {
    if (opts.actorFor) actorFor = opts.actorFor;
    scheduler = createRoutineScheduler({
      ...opts,
      store,
      targets: deps.targets,
      actorFor: (r) => actorFor(r),
      onError: deps.onError,
    });
    return scheduler;
  }

  return {
    get,
    async create(input: RoutineInput, actor: Actor): Promise<Routine> {
      const at = deps.now().toISOString();
      const draft = {
        name: input.name,
        schedule: input.schedule.trim(),
        timezone: input.timezone ?? 'UTC',
        enabled: input.enabled ?? true,
      };
      const { next, kind } = nextFire(draft);
      await checkTarget(input.target, actor);
      const routine: Routine = {
        id: globalThis.crypto.randomUUID(),
        ...draft,
        timezone: checkTimezone(draft.timezone),
        scheduleKind: kind,
        target: input.target,
        overlap: input.overlap ?? 'skip',
        catchUp: input.catchUp ?? 'latest',
        nextFireAt: next,
        lastFiredAt: null,
        ownerId: actor.id,
        ownerRole: actor.role ?? (actor.admin ? 'admin' : null),
        createdAt: at,
        updatedAt: at,
      };
      await store.insert(routine);
      return routine;
    },
    async list(query: { page?: number | undefined; limit?: number | undefined }, actor: Actor) {
      const page = query.page ?? 1;
      const limit = query.limit ?? 50;
      const { routines, total } = await store.list({
        ownerId: actor.admin ? undefined : actor.id,
        limit,
        offset: (page - 1) * limit,
      });
      return { routines, total, page, limit };
    },
    async update(id: string, patch: RoutinePatch, actor: Actor): Promise<Routine> {
      const current = await get(id, actor);
      const next: Routine = {
        ...current,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.schedule !== undefined ? { schedule: patch.schedule.trim() } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...(patch.overlap !== undefined ? { overlap: patch.overlap } : {}),
        ...(patch.catchUp !== undefined ? { catchUp: patch.catchUp } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.target !== undefined ? { target: patch.target } : {}),
        updatedAt: deps.now().toISOString(),
      };
      const timing =
        next.schedule !== current.schedule ||
        next.timezone !== current.timezone ||
        next.enabled !== current.enabled;
      const { next: nextFireAt, kind } = nextFire(next);
      next.timezone = checkTimezone(next.timezone);
      next.scheduleKind = kind;
      if (patch.target !== undefined) await checkTarget(next.target, actor);
      if (timing) next.nextFireAt = nextFireAt;
      if (!(await store.update(next, { moveNext: timing }))) throw notFound(id);
      return (await store.get(id)) ?? next;
    },
    async delete(id: string, actor: Actor): Promise<Routine> {
      const current = await get(id, actor);
      await store.delete(id);
      return current;
    },
    /** Stops firing; runs already going go on. */
    async pause(id: string, actor: Actor): Promise<Routine> {
      const current = await get(id, actor);
      const next = { ...current, enabled: false, nextFireAt: null, updatedAt: deps.now().toISOString() };
      await store.update(next, { moveNext: true });
      return next;
    },
    /** Fires again from the next due time after now (nothing missed while paused is caught up). */
    async resume(id: string, actor: Actor): Promise<Routine> {
      const current = await get(id, actor);
      const next = { ...current, enabled: true, updatedAt: deps.now().toISOString() };
      next.nextFireAt = nextFire(next).next;
      await store.update(next, { moveNext: true });
      return next;
    },
    /** Starts the target now, whatever the schedule and overlap say; the run says what it started. */
    async runNow(id: string, actor: Actor): Promise<RoutineRun> {
      return theScheduler().runNow(await get(id, actor));
    },
    async runs(id: string, query: { page?: number | undefined; limit?: number | undefined }, actor: Actor) {
      await get(id, actor);
      const page = query.page ?? 1;
      const limit = query.limit ?? 50;
      const { runs, total } = await store.listRuns({ routineId: id, limit, offset: (page - 1) * limit });
      return { runs, total, page, limit };
    },
    /** The next `count` due times of a schedule (at most 50), as ISO strings. */
    preview(
      schedule: string,
      timezone = 'UTC',
      count = 10,
    ): { schedule: string; timezone: string; times: string[] } {
      const tz = checkTimezone(timezone);
      const parsed = parseSchedule(schedule, tz);
      const times = previewSchedule(parsed, deps.now(), Math.min(count, PREVIEW_MAX)).map((d) =>
        d.toISOString(),
      );
      return { schedule, timezone: tz, times };
    },
    /**
     * Starts the scheduler (once). The server calls this at start-up and closes what it returns at
     * shutdown; `actorFor` lets it refuse owners whose key was revoked and apply session caps.
     */
    startScheduler(opts: SchedulerStartOptions = {}): RoutineScheduler {
      const s = createScheduler(opts);
      s.start();
      return s;
    },
    /** A scheduler on this service's store, not started: call `tick()` yourself (tests drive a fake clock). */
    createScheduler,
  };
}

export type RoutineService = ReturnType<typeof createRoutineService>;
