import type { AegisClient, CreateRoutineRequest } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createRoutineBody, previewRoutineScheduleQuery } from '../inputs.gen.js';
import { sessionFields } from '../inputs.js';
import { call, invalidInput } from '../tool-result.js';
import { pipelineFields } from './orchestration.js';

const routineId = { routineId: z.string().describe('Routine id') };

/** Routines: sessions (plain or from a template) started on a schedule. */
export function registerRoutineTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'create_routine',
    {
      description:
        'Start a session or a pipeline on a schedule: a cron expression ("0 9 * * 1-5"; 6 fields = leading seconds), an interval ("every 15m") or a one-off ISO time, in an IANA time zone. Give workDir and a prompt for a plain session, workDir and a template (id or name), or a pipeline (as create_pipeline takes it) instead. Each due time fires once, even across restarts.',
      inputSchema: {
        name: createRoutineBody.name.describe('Routine name (letters, digits, . _ -)'),
        schedule: createRoutineBody.schedule,
        timezone: createRoutineBody.timezone,
        workDir: sessionFields.workDir.optional().describe('Folder of the session (not with pipeline)'),
        prompt: sessionFields.prompt,
        template: z.string().optional().describe('Start from this template instead (id or name)'),
        pipeline: z
          .object(pipelineFields)
          .optional()
          .describe('Start this pipeline each time instead of one session'),
        overlap: createRoutineBody.overlap.describe('When the previous run still goes; default skip'),
        catchUp: createRoutineBody.catchUp.describe('Due times missed while down; default latest'),
        enabled: createRoutineBody.enabled,
      },
    },
    ({ workDir, prompt, template, pipeline, ...rest }) => {
      if (pipeline ? workDir || template || prompt : !workDir)
        return Promise.resolve(
          invalidInput(
            pipeline
              ? 'Give either a pipeline, or workDir with a prompt or template — not both.'
              : 'Give workDir (with a prompt or a template), or a pipeline.',
          ),
        );
      return call(() => {
        const dir = workDir as string;
        const target: CreateRoutineRequest['target'] = pipeline
          ? { pipeline }
          : template
            ? { template, workDir: dir, ...(prompt ? { prompt } : {}) }
            : { session: { workDir: dir, ...(prompt ? { prompt } : {}) } };
        return client.createRoutine({ ...rest, target });
      });
    },
  );
  server.registerTool(
    'list_routines',
    { description: 'List your routines with their schedules and next due times.', inputSchema: {} },
    () => call(() => client.listRoutines({ limit: 100 })),
  );
  server.registerTool(
    'list_routine_runs',
    {
      description: "A routine's runs, newest first: due time, fired time, session, outcome, cost, error.",
      inputSchema: routineId,
    },
    (args) => call(() => client.listRoutineRuns(args.routineId, { limit: 50 })),
  );
  server.registerTool(
    'run_routine',
    { description: 'Run a routine now, outside its schedule.', inputSchema: routineId },
    (args) => call(() => client.runRoutine(args.routineId)),
  );
  server.registerTool(
    'pause_routine',
    { description: 'Pause a routine (runs already going go on).', inputSchema: routineId },
    (args) => call(() => client.pauseRoutine(args.routineId)),
  );
  server.registerTool(
    'resume_routine',
    { description: 'Resume a routine from its next due time after now.', inputSchema: routineId },
    (args) => call(() => client.resumeRoutine(args.routineId)),
  );
  server.registerTool(
    'delete_routine',
    { description: 'Delete a routine and its run history.', inputSchema: routineId },
    (args) => call(() => client.deleteRoutine(args.routineId)),
  );
  server.registerTool(
    'preview_routine_schedule',
    {
      description:
        'The next due times of a schedule in a time zone: check a cron expression before using it.',
      inputSchema: previewRoutineScheduleQuery,
    },
    (args) => call(() => client.previewRoutineSchedule(args)),
  );
}
