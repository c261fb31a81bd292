// `ag routine …` as real child processes against a live server (the scripted agent).
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Routine, RoutineRun, RoutineRunList } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-routine-')));
const work = join(base, 'work');
mkdirSync(work);
let server: RunningServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  env = { HOME: base, AEGIS_BASE_URL: server.url };
});
afterAll(() => server?.close());

const json = <T>(text: string) => JSON.parse(text) as T;

describe('ag routine', () => {
  it('create, list, run, runs, pause, resume and delete', async () => {
    const created = await ag(
      [
        'routine',
        'create',
        '--name',
        'weekday-review',
        '--schedule',
        '0 9 * * 1-5',
        '--tz',
        'Europe/Rome',
        '--cwd',
        work,
        '--prompt',
        'review',
        '--json',
      ],
      { env },
    );
    expect(created.code, created.err).toBe(0);
    const r = json<Routine>(created.out);
    expect(r).toMatchObject({
      name: 'weekday-review',
      timezone: 'Europe/Rome',
      enabled: true,
      target: { session: { workDir: work, prompt: 'review' } },
    });

    const listed = await ag(['routine', 'list'], { env });
    expect(listed.out).toMatch(
      new RegExp(`${r.id}\\s+active\\s+0 9 \\* \\* 1-5\\s+Europe/Rome\\s+next \\S+\\s+weekday-review`),
    );

    const ran = await ag(['routine', 'run', r.id, '--json'], { env });
    expect(ran.code, ran.err).toBe(0);
    const run = json<RoutineRun>(ran.out);
    expect(run).toMatchObject({ trigger: 'manual', outcome: 'running' });
    const runs = json<RoutineRunList>((await ag(['routine', 'runs', r.id, '--json'], { env })).out);
    expect(runs.runs.map((x) => x.sessionId)).toEqual([run.sessionId]);
    expect((await ag(['routine', 'runs', r.id], { env })).out).toMatch(
      new RegExp(`manual {3}(running|completed)\\s+session ${run.sessionId}`),
    );

    const paused = await ag(['routine', 'pause', r.id], { env });
    expect(paused.out + paused.err).toContain(`Paused ${r.id} (weekday-review)`);
    expect(json<Routine>((await ag(['routine', 'resume', r.id, '--json'], { env })).out).enabled).toBe(true);
    expect((await ag(['routine', 'delete', r.id], { env })).code).toBe(0);
    expect(
      json<{ routines: Routine[] }>((await ag(['routine', 'list', '--json'], { env })).out).routines,
    ).toEqual([]);
  });

  it('says what is wrong with a bad schedule and exits 1', async () => {
    const bad = await ag(
      ['routine', 'create', '--name', 'x', '--schedule', '0 9 * *', '--cwd', work, '--prompt', 'p'],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('schedule: "0 9 * *" is not a valid cron expression');
  });
});
