import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAg } from './__fixtures__/ag.js';

let server: RunningServer;
const home = mkdtempSync(join(tmpdir(), 'aegis-pipe-'));
beforeAll(async () => {
  server = await startServer({
    ignoreEnv: true,
    config: { port: 0, stateDir: join(home, 'state'), dbPath: ':memory:', logLevel: 'silent' },
  });
});
afterAll(() => server.close());

describe('a reader that goes away (`ag list --json | head -1`)', () => {
  it.each([[['list', '--json']], [['list']]])(
    'ag %j exits 0 without a stack trace when stdout is closed before it writes',
    async (args) => {
      const child = startAg([...args, '--url', server.url], { env: { HOME: home } });
      child.stdout?.destroy();
      const r = await child.result;
      expect(r.err).not.toMatch(/EPIPE|at \w+ \(/);
      expect(r.code).toBe(0);
    },
  );
});
