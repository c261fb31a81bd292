// `ag run` against a live server the test started (run.test.ts covers `ag run` starting its own).
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-run-')));
let server: RunningServer;
let env: Record<string, string>;
let n = 0;

const folder = () => {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  env = { HOME: base, AEGIS_BASE_URL: server.url };
});
afterAll(() => server?.close());

describe('ag run against a running server', () => {
  it('reusing an idle session whose last turn had the same prompt streams the new turn, not the old one', async () => {
    const dir = folder();
    // The agent answers with how many prompts the session had before this one, so each reply differs.
    const prompt = script({ recall: true });
    // --keep: by default a run ends the session it created, and there would be nothing to reuse.
    const first = await ag(['run', prompt, '--cwd', dir, '--keep'], { env });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('"prompts":0');

    const second = await ag(['run', prompt, '--cwd', dir], { env });
    expect(second.code, second.err).toBe(0);
    expect(second.out + second.err).toContain('Reusing session');
    expect(second.out).toContain('"prompts":1');
    expect(second.out).not.toContain('"prompts":0');
  });

  it('--no-stream --name --model prints the final reply once, in a session with that name and model', async () => {
    const dir = folder();
    const r = await ag(
      [
        'run',
        script({ say: 'Thinking aloud.' }, { say: 'The answer is 42.', chunks: 4 }),
        '--cwd',
        dir,
        '--no-stream',
        '--name',
        'quiet-run',
        '--model',
        'scripted-large',
      ],
      { env },
    );
    expect(r.code, r.err).toBe(0);
    // Only the last message, whole, at the end: no streamed deltas of the earlier one.
    expect(r.out.split('The answer is 42.')).toHaveLength(2);
    expect(r.out).not.toContain('Thinking aloud.');
    expect(r.out + r.err).toContain('scripted-large');
    const { sessions } = await server.aegis.sessions.list({ workDir: dir });
    expect(sessions).toHaveLength(1);
    // Ended with the run (no --keep).
    expect(sessions[0]).toMatchObject({ name: 'quiet-run', model: 'scripted-large', status: 'killed' });
  });
});
