import {
  type Actor,
  type Aegis,
  AegisError,
  type ApiKeyStore,
  type AuditStore,
  type Routine,
  type RoutineScheduler,
  type SchedulerClock,
} from '@aegis/core';
import { keyStatus } from './auth/api-keys.js';
import type { SessionAdmission } from './auth/session-caps.js';
import type { Logger } from './logger.js';

export interface RoutineSchedulerDeps {
  aegis: Aegis;
  apiKeys: ApiKeyStore;
  audit: AuditStore;
  /** The session caps (the app's), applied at each fire as to a request. */
  admission: SessionAdmission;
  /** Whether routines made with the bootstrap token (`AEGIS_AUTH_TOKEN`) may still run. */
  bootstrapToken: boolean;
  logger: Logger;
  tickMs?: number | undefined;
  /** No other server shares the store (not a cluster node). */
  exclusive?: boolean | undefined;
  clock?: SchedulerClock | undefined;
}

/** How many sessions a fire of this routine starts (a pipeline: one per stage, as its create is counted). */
const sessionsStarted = (r: Routine) => ('pipeline' in r.target ? r.target.pipeline.stages.length : 1);

/**
 * Starts the routine scheduler as the server's background service. Each fire acts as the routine's
 * owner as things stand now: a revoked or expired key, or one now a viewer, fails the run saying so;
 * the owner's session caps apply; and every run started, failed or skipped is audited.
 */
export function startRoutineScheduler(deps: RoutineSchedulerDeps): RoutineScheduler {
  async function actorFor(r: Routine): Promise<Actor> {
    let actor: Actor;
    if (r.ownerId === null) {
      actor = { id: null, admin: true };
    } else if (r.ownerId === 'bootstrap') {
      if (!deps.bootstrapToken)
        throw new AegisError(
          'FORBIDDEN',
          'This routine was made with AEGIS_AUTH_TOKEN, which is no longer set; recreate it with an API key.',
        );
      actor = { id: 'bootstrap', admin: true, role: 'admin' };
    } else {
      const key = await deps.apiKeys.get(r.ownerId);
      const status = key ? keyStatus(key, new Date()) : 'revoked';
      if (!key || status !== 'active') {
        throw new AegisError(
          'FORBIDDEN',
          `The owner of this routine, API key ${r.ownerId}, is ${key ? status : 'gone'}; pause the routine, or recreate it with a valid key.`,
        );
      }
      if (key.role === 'viewer') {
        throw new AegisError(
          'FORBIDDEN',
          `The owner of this routine, API key ${r.ownerId}, is now a viewer and may not start sessions.`,
        );
      }
      actor = { id: key.id, role: key.role, admin: key.role === 'admin' };
    }
    const refused = await deps.admission.admit(actor, sessionsStarted(r));
    if (refused) throw new AegisError('RATE_LIMITED', refused);
    return actor;
  }

  return deps.aegis.routines.startScheduler({
    actorFor,
    tickMs: deps.tickMs,
    exclusive: deps.exclusive,
    clock: deps.clock,
    onRun(run, routine) {
      deps.audit
        .append({
          at: new Date().toISOString(),
          actorId: routine.ownerId ?? 'local',
          actorRole: 'routine',
          action: 'routine.fired',
          target: routine.id,
          outcome: run.outcome,
          details: {
            runId: run.id,
            trigger: run.trigger,
            dueAt: run.dueAt,
            sessionId: run.sessionId,
            pipelineId: run.pipelineId,
            error: run.error,
          },
        })
        .catch((err) =>
          deps.logger.error('audit append failed', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
    },
  });
}
