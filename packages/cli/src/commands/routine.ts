import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CreateRoutineRequest, Routine, RoutineRun, RoutineTarget } from '@aegis/client';
import { defineCommand } from 'citty';
import { type ConnectArgs, connect, connectionArgs } from '../connect.js';
import { consola } from '../log.js';
import { plain, reportError } from '../output.js';

const common = { ...connectionArgs, json: { type: 'boolean', description: 'Print JSON' } } as const;
const idArg = { id: { type: 'positional', description: 'Routine id', required: true } } as const;
const client = (args: ConnectArgs) => connect(args).client;

async function act<T>(json: boolean | undefined, fn: () => Promise<T>, human: (v: T) => void) {
  try {
    const value = await fn();
    if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human(value);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

const line = (r: Routine) =>
  `${r.id}  ${(r.enabled ? 'active' : 'paused').padEnd(6)}  ${plain(r.schedule).padEnd(16)} ${plain(r.timezone).padEnd(16)} next ${r.nextFireAt ?? '—'}  ${plain(r.name)}\n`;

const runLine = (r: RoutineRun) => {
  const what = r.sessionId ? `session ${r.sessionId}` : r.pipelineId ? `pipeline ${r.pipelineId}` : '';
  const cost = r.costUsd === null ? '' : ` $${r.costUsd.toFixed(4)}`;
  const why = r.error ? `  ${plain(r.error)}` : '';
  return `${r.dueAt}  ${r.trigger.padEnd(8)} ${r.outcome.padEnd(9)} ${what}${cost}${why}\n`;
};

/** The target from the flags: a pipeline body file, a template, or a session in --cwd. */
function targetOf(args: {
  cwd?: string;
  prompt?: string;
  template?: string;
  pipeline?: string;
}): RoutineTarget {
  if (args.pipeline) {
    const body = JSON.parse(readFileSync(resolve(args.pipeline), 'utf8')) as unknown;
    return { pipeline: body } as RoutineTarget;
  }
  const workDir = resolve(args.cwd ?? process.cwd());
  if (args.template) {
    return { template: args.template, workDir, ...(args.prompt ? { prompt: args.prompt } : {}) };
  }
  if (!args.prompt)
    throw new Error('Give --prompt (what the session does), --template NAME or --pipeline FILE.');
  return { session: { workDir, prompt: args.prompt } };
}

const create = defineCommand({
  meta: {
    name: 'create',
    description: 'Create a routine: a session, template session or pipeline on a schedule',
  },
  args: {
    ...common,
    name: { type: 'string', description: 'Routine name', required: true },
    schedule: {
      type: 'string',
      description: 'Cron ("0 9 * * 1-5", 6 fields = leading seconds), interval ("every 15m") or ISO time',
      required: true,
    },
    timezone: { type: 'string', description: 'IANA time zone (default UTC)', alias: 'tz' },
    cwd: { type: 'string', description: 'Work directory of the session (default: here)' },
    prompt: { type: 'string', description: 'The prompt each run sends' },
    template: { type: 'string', description: 'Start from this template (id or name)' },
    pipeline: { type: 'string', description: 'A JSON file with a createPipeline body' },
    overlap: { type: 'string', description: 'skip | queue | allow (default skip)' },
    'catch-up': { type: 'string', description: 'none | latest | all (default latest)' },
    paused: { type: 'boolean', description: 'Create it paused' },
  },
  run: ({ args }) =>
    act(
      args.json,
      async () => {
        const body: CreateRoutineRequest = {
          name: args.name,
          schedule: args.schedule,
          target: targetOf(args),
          ...(args.timezone ? { timezone: args.timezone } : {}),
          ...(args.overlap ? { overlap: args.overlap as CreateRoutineRequest['overlap'] } : {}),
          ...(args['catch-up'] ? { catchUp: args['catch-up'] as CreateRoutineRequest['catchUp'] } : {}),
          ...(args.paused ? { enabled: false } : {}),
        };
        return client(args).createRoutine(body);
      },
      (r) =>
        consola.success(`Routine ${r.id} (${plain(r.name)}); next run ${r.nextFireAt ?? 'when resumed'}`),
    ),
});

const list = defineCommand({
  meta: { name: 'list', description: 'List your routines' },
  args: common,
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).listRoutines({ limit: 100 }),
      ({ routines }) => {
        for (const r of routines) process.stdout.write(line(r));
        if (routines.length === 0) consola.info('No routines; create one with `ag routine create`.');
      },
    ),
});

const runs = defineCommand({
  meta: { name: 'runs', description: "A routine's runs, newest first" },
  args: { ...common, ...idArg, limit: { type: 'string', description: 'How many (1–100, default 20)' } },
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).listRoutineRuns(args.id, { limit: Number(args.limit ?? 20) }),
      ({ runs }) => {
        for (const r of runs) process.stdout.write(runLine(r));
        if (runs.length === 0) consola.info('No runs yet.');
      },
    ),
});

const simple = (
  name: string,
  description: string,
  call: (c: ReturnType<typeof client>, id: string) => Promise<Routine>,
  done: string,
) =>
  defineCommand({
    meta: { name, description },
    args: { ...common, ...idArg },
    run: ({ args }) =>
      act(
        args.json,
        () => call(client(args), args.id),
        (r) => consola.success(`${done} ${r.id} (${plain(r.name)})`),
      ),
  });

const pause = simple('pause', 'Pause a routine', (c, id) => c.pauseRoutine(id), 'Paused');
const resume = simple(
  'resume',
  'Resume a routine from its next due time',
  (c, id) => c.resumeRoutine(id),
  'Resumed',
);
const remove = simple(
  'delete',
  'Delete a routine and its run history',
  (c, id) => c.deleteRoutine(id),
  'Deleted',
);

const run = defineCommand({
  meta: { name: 'run', description: 'Run a routine now, outside its schedule' },
  args: { ...common, ...idArg },
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).runRoutine(args.id),
      (r) => {
        process.stdout.write(runLine(r));
        if (r.outcome === 'failed') process.exitCode = 1;
      },
    ),
});

export const routineCommand = defineCommand({
  meta: { name: 'routine', description: 'Scheduled sessions and pipelines' },
  subCommands: { create, list, runs, pause, resume, run, delete: remove },
});
