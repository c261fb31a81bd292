import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { freePort, script, scriptedServerConfig, startTcpTap } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startAg } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-dropped-')));
let n = 0;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A prompt queued behind a running turn when the server shuts down is dropped (`prompts.dropped`):
 * its turn will never run. A `--wait` on it used to wait forever, reconnecting to the restarted
 * server for a turn that could not come.
 */
describe('--wait on a prompt the server drops', () => {
  it.each([
    ['', []],
    [' --json', ['--json']],
  ])(
    'ag send --wait%s says the prompt was dropped and exits 1 (it does not wait forever)',
    async (_, json) => {
      const dir = join(base, `w${n++}`);
      mkdirSync(dir);
      const port = await freePort();
      const config = scriptedServerConfig(join(base, `s${n}`), { port, allowedWorkDirs: [base] });
      server = await startServer({ ignoreEnv: true, config });
      const { session } = await server.aegis.sessions.create({
        workDir: dir,
        prompt: script({ hang: true }),
      });
      const id = session.id;
      await until(async () => (await server!.aegis.sessions.get(id)).status === 'working', 'the first turn');

      const queued = 'script:[{"say":"never said"}]';
      // Through a tap: the stop waits until the CLI has had its send answered (it opens the
      // event stream only then), or the stop could cut the 202 off.
      const tap = await startTcpTap(port);
      const waiting = startAg(['send', id, queued, '--wait', ...json], {
        env: { HOME: base, AEGIS_BASE_URL: tap.url },
        timeoutMs: 30_000,
      });
      await until(
        async () => (await server!.aegis.sessions.get(id)).queuedPrompts === 1,
        'the prompt to queue',
      );
      await until(
        async () => tap.requests.some((r) => r.startsWith(`GET /v1/sessions/${id}/events`)),
        'the CLI to open its event stream',
      );

      // A graceful stop drops the queue (and cuts the running turn off); then the server comes back.
      await server.close();
      server = await startServer({ ignoreEnv: true, config });

      const r = await waiting.result;
      await tap.close();
      expect(r.code, r.err).toBe(1);
      expect(r.out).not.toContain('never said');
      if (json.length === 0) {
        expect(r.err).toMatch(/dropped before its turn started: Aegis shut down\. Send it again/);
        return;
      }
      const answer = JSON.parse(r.out) as { waited: string; dropped: string; reply: string[] };
      expect(answer).toMatchObject({ waited: 'dropped', dropped: 'Aegis shut down', reply: [] });
    },
  );
});
