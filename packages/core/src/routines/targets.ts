import type { CreatePipelineInput } from '../orchestration/pipelines.js';
import type { PipelineStore } from '../orchestration/resource-store.js';
import type { Pipeline } from '../orchestration/schemas.js';
import type { SessionSpecInput, TemplateService } from '../orchestration/templates.js';
import type { Session } from '../schemas.js';
import type { Actor, CreateSessionInput, CreateSessionResult } from '../sessions-api-types.js';
import type { RoutineTargets } from './scheduler.js';
import type { RoutineTarget } from './schemas.js';

export interface EngineTargetDeps {
  templates: TemplateService;
  sessions: { create(input: CreateSessionInput, actor: Actor): Promise<CreateSessionResult> };
  pipelines: { create(input: CreatePipelineInput, actor: Actor): Promise<Pipeline> };
  getSession(id: string): Promise<Session | undefined>;
  pipelineStore: PipelineStore;
}

/** The session spec a session or template target starts (a routine starts a new session unless it says `reuse: true`). */
export function targetSessionSpec(target: RoutineTarget): SessionSpecInput | undefined {
  if ('session' in target) return { reuse: false, ...target.session };
  if ('template' in target) {
    return {
      workDir: target.workDir,
      templateId: target.template,
      reuse: false,
      ...(target.prompt !== undefined ? { prompt: target.prompt } : {}),
      ...(target.variables !== undefined ? { variables: target.variables } : {}),
    };
  }
  return undefined;
}

const ENDED_OK = new Set(['idle', 'completed']);
/** What a run's error says for each way its session can end badly (then the session's problem). */
const ENDED_BAD: ReadonlyMap<string, string> = new Map([
  ['error', "The session's turn failed"],
  ['killed', 'The session was killed'],
  ['crashed', "The session's agent crashed"],
]);

/** `failed` run's error: how the session ended and, when it says, why (its `problem`). */
function endedBadly(how: string, problem: { message: string } | null | undefined): string {
  const why = problem?.message.trim();
  if (!why) return `${how}.`;
  return `${how}: ${why}${/[.!?]$/.test(why) ? '' : '.'}`;
}

/**
 * Routine targets on the engine: a session (or a template's session) is created as the routine's
 * owner and its run ends with the session's first turn (idle again, or ended); a pipeline run ends
 * with the pipeline. A template deleted since the routine was made fails the run saying so.
 */
export function engineTargets(deps: EngineTargetDeps): RoutineTargets {
  return {
    async start(routine, actor) {
      const spec = targetSessionSpec(routine.target);
      if (spec) {
        const input = await deps.templates.resolve(spec, actor).catch((err: unknown) => {
          if ('template' in routine.target || spec.templateId !== undefined) {
            const name = 'template' in routine.target ? routine.target.template : spec.templateId;
            throw new Error(
              `Template "${name}" could not be used: ${err instanceof Error ? err.message : String(err)} Edit the routine's target.`,
            );
          }
          throw err;
        });
        const { session } = await deps.sessions.create(input, actor);
        return { sessionId: session.id };
      }
      const pipeline = await deps.pipelines.create(
        (routine.target as { pipeline: CreatePipelineInput }).pipeline,
        actor,
      );
      return { pipelineId: pipeline.id };
    },
    async status(run) {
      if (run.sessionId) {
        const s = await deps.getSession(run.sessionId);
        if (!s) return { outcome: 'failed', error: 'The session is gone.', costUsd: null };
        const costUsd = s.usage?.costUsd ?? null;
        if (ENDED_OK.has(s.status)) return { outcome: 'completed', error: null, costUsd };
        const how = ENDED_BAD.get(s.status);
        if (how) return { outcome: 'failed', error: endedBadly(how, s.problem), costUsd };
        return null;
      }
      if (run.pipelineId) {
        const rec = await deps.pipelineStore.get(run.pipelineId);
        if (!rec) return { outcome: 'failed', error: 'The pipeline is gone.', costUsd: null };
        if (rec.pipeline.status === 'running') return null;
        return rec.pipeline.status === 'completed'
          ? { outcome: 'completed', error: null, costUsd: null }
          : { outcome: 'failed', error: rec.pipeline.error ?? 'The pipeline failed.', costUsd: null };
      }
      return null;
    },
  };
}
