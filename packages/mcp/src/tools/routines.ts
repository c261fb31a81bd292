import type { AegisClient, CreateRoutineRequest } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { sessionFields } from '../inputs.js';
import { call } from '../tool-result.js';

const routineId = { routineId: z.string().describe('Routine id') };

/** Routines: sessions (plain or from a template) started on a schedule. */
export function registerRoutineTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'create_routine',
    {
      description:
        'Start a session on a schedule: a cron expression ("0 9 * * 1-5"; 6 fields = leading seconds), an interval ("every 15m") or a one-off ISO time, in an IANA time zone. Give a prompt for a plain session, or a template (id or name). Each due time fires once, even across restarts.',
      inputSchema: {
        name: z.string().describe('Routine name (letters, digits, . _ -)'),
        schedule: z.string(),
        timezone: z.string().optional().describe('IANA time zone, default UTC'),
        workDir: sessionFields.workDir,
        prompt: sessionFields.prompt,
        template: z.string().optional().describe('Start from this template instead (id or name)'),
        overlap: z
          .enum(['skip', 'queue', 'allow'])
          .optional()
          .describe('When the previous run still goes; default skip'),
        catchUp: z
          .enum(['none', 'latest', 'all'])
          .optional()
          .describe('Due times missed while down; default latest'),
        enabled: z.boolean().optional().describe('false creates it paused'),
      },
    },
    ({ workDir, prompt, template, ...rest }) =>
      call(() => {
        const target: CreateRoutineRequest['target'] = template
          ? { template, workDir, ...(prompt ? { prompt } : {}) }
          : { session: { workDir, ...(prompt ? { prompt } : {}) } };
        return client.createRoutine({ ...rest, target });
      }),
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
      inputSchema: {
        schedule: z.string(),
        timezone: z.string().optional(),
        count: z.number().int().min(1).max(50).optional(),
      },
    },
    (args) => call(() => client.previewRoutineSchedule(args)),
  );
}
