import {
  ResourceName,
  RoutineCatchUp,
  RoutineFields,
  RoutineOverlap,
  RoutineRun,
  TemplateVariables,
} from '@aegis/core';
import { z } from 'zod';
import { CreateSessionRequest } from '../api-schemas.js';
import { CreatePipelineRequest } from './pipelines.js';

/** Request and response shapes of `/v1/routines` (the routine model itself is core's). */

export const RoutineTarget = z
  .union([
    z
      .object({ session: CreateSessionRequest.describe('A createSession body') })
      .strict()
      .describe('Start a session'),
    z
      .object({
        template: z.string().min(1).max(100).describe('A template id, or the name of a template you can see'),
        workDir: z.string().min(1).max(4096).describe('Where the session works'),
        prompt: z.string().max(100_000).optional().describe('Overrides the template prompt'),
        variables: TemplateVariables.optional(),
      })
      .strict()
      .describe(
        'Start a session from a template (400 at create when it does not exist; a failed run if it is deleted later)',
      ),
    z
      .object({ pipeline: CreatePipelineRequest.describe('A createPipeline body') })
      .strict()
      .describe('Start a pipeline'),
  ])
  .describe(
    'What each due time starts: exactly one of `session`, `template` or `pipeline`. Sessions start new (not reusing an idle one) unless the body says `reuse: true`',
  )
  .meta({ id: 'RoutineTarget' });

const schedule = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'A cron expression (5 fields "minute hour day month weekday", or 6 with a leading seconds field; `@daily` and the like), an interval (`every 30s`, `every 5m`, `every 2h`, `every 1d`), or a one-off ISO-8601 time (read in `timezone` when it has no offset)',
  );
const timezone = z.string().min(1).max(100).describe('IANA time zone the schedule is read in; default UTC');

export const CreateRoutineRequest = z
  .object({
    name: ResourceName,
    schedule,
    timezone: timezone.optional(),
    target: RoutineTarget,
    overlap: RoutineOverlap.optional().describe('Default `skip`'),
    catchUp: RoutineCatchUp.optional().describe('Default `latest`'),
    enabled: z.boolean().optional().describe('Default true; false creates it paused'),
  })
  .meta({ id: 'CreateRoutineRequest' });

export const UpdateRoutineRequest = z
  .object({
    name: ResourceName.optional(),
    schedule: schedule.optional(),
    timezone: timezone.optional(),
    target: RoutineTarget.optional(),
    overlap: RoutineOverlap.optional(),
    catchUp: RoutineCatchUp.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateRoutineRequest' });

export const Routine = RoutineFields.extend({ target: RoutineTarget }).meta({ id: 'Routine' });

const page = { total: z.number().int(), page: z.number().int(), limit: z.number().int() };
export const RoutineList = z.object({ routines: z.array(Routine), ...page }).meta({ id: 'RoutineList' });
export const RoutineRunList = z.object({ runs: z.array(RoutineRun), ...page }).meta({ id: 'RoutineRunList' });
export const RoutinePreview = z
  .object({
    schedule: z.string(),
    timezone: z.string(),
    times: z.array(z.string()).describe('The next due times, ISO-8601 UTC, earliest first'),
  })
  .meta({ id: 'RoutinePreview' });
