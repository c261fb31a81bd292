import { z } from 'zod';
import type { CreatePipelineInput } from '../orchestration/pipelines.js';
import type { SessionSpecInput } from '../orchestration/templates.js';

/**
 * Shapes of routines (scheduled sessions and pipelines) and their runs. The server reuses them for
 * its OpenAPI document; it puts its own request schemas (createSession, createPipeline bodies) in
 * the `target` of the documented shape, which core keeps as plain TypeScript types.
 */

export const RoutineOverlap = z
  .enum(['skip', 'queue', 'allow'])
  .describe(
    'When a due time comes while the previous run is still going: `skip` it (recorded as a skipped run), `queue` it (starts when the previous run ends; at most 10 wait), or `allow` it to run beside',
  )
  .meta({ id: 'RoutineOverlap' });
export type RoutineOverlap = z.infer<typeof RoutineOverlap>;

export const RoutineCatchUp = z
  .enum(['none', 'latest', 'all'])
  .describe(
    'Due times missed while no server ran: `none` fires none of them, `latest` fires the most recent one once, `all` fires each of them (the 10 most recent at most), oldest first',
  )
  .meta({ id: 'RoutineCatchUp' });
export type RoutineCatchUp = z.infer<typeof RoutineCatchUp>;

export const RoutineRunOutcome = z
  .enum(['running', 'queued', 'completed', 'failed', 'skipped'])
  .describe(
    '`running` until the session’s first turn (or the pipeline) ends; `queued` waits for the previous run (overlap `queue`); `completed`/`failed` at the end; `skipped` when overlap `skip` passed it over',
  )
  .meta({ id: 'RoutineRunOutcome' });
export type RoutineRunOutcome = z.infer<typeof RoutineRunOutcome>;

/** What a routine starts at each due time. */
export type RoutineTarget =
  | { session: SessionSpecInput }
  | {
      template: string;
      prompt?: string | undefined;
      workDir: string;
      variables?: Record<string, string> | undefined;
    }
  | { pipeline: CreatePipelineInput };

/** The editable fields of a routine (`target` is checked by the server's request schema). */
export interface RoutineInput {
  name: string;
  schedule: string;
  timezone?: string | undefined;
  target: RoutineTarget;
  overlap?: RoutineOverlap | undefined;
  catchUp?: RoutineCatchUp | undefined;
  enabled?: boolean | undefined;
}

/** Every field of a routine but its target, whose documented shape the server supplies. */
export const RoutineFields = z.object({
  id: z.string(),
  name: z.string(),
  schedule: z.string().describe('As given: a cron expression, an interval (`every 5m`) or a one-off time'),
  scheduleKind: z.enum(['cron', 'interval', 'once']),
  timezone: z.string().describe('IANA time zone the schedule is read in'),
  overlap: RoutineOverlap,
  catchUp: RoutineCatchUp,
  enabled: z.boolean().describe('False while paused'),
  nextFireAt: z
    .string()
    .nullable()
    .describe('The next due time (ISO-8601, UTC); null when paused or when a one-off has fired'),
  lastFiredAt: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerRole: z.string().nullable().describe('The role of the key that created it; fires act with it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A routine as stored and answered. */
export type Routine = z.infer<typeof RoutineFields> & { target: RoutineTarget };

export const RoutineRun = z
  .object({
    id: z.string(),
    routineId: z.string(),
    trigger: z.enum(['schedule', 'catch_up', 'manual']),
    dueAt: z.string().describe('The due time this run is for (ISO-8601, UTC); for `manual`, when asked'),
    firedAt: z.string().nullable().describe('When its target was started; null while queued or when skipped'),
    endedAt: z.string().nullable(),
    outcome: RoutineRunOutcome,
    sessionId: z.string().nullable(),
    pipelineId: z.string().nullable(),
    costUsd: z.number().nullable().describe('The session’s cost when known (session targets)'),
    error: z.string().nullable().describe('Why the run failed or was skipped'),
  })
  .meta({ id: 'RoutineRun' });
export type RoutineRun = z.infer<typeof RoutineRun>;

export type RoutineTrigger = RoutineRun['trigger'];
