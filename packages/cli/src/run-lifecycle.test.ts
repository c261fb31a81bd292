import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { freePort, SCRIPTED_AGENT_BIN, script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-run-life-')));
let server: RunningServer;
let n = 0;
const folder = () => {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  return dir;
};
const hello = script({ say: 'Hello.' });

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
});
afterAll(() => server?.close());

const sessionsIn = async (dir: string) =>
  (await server.aegis.sessions.list({ workDir: dir }, { id: null, admin: true })).sessions;

describe('ag run ends what it started', () => {
  it('ends the session it created when the run ends, and says so', async () => {
    const dir = folder();
    const r = await ag(['run', hello, '--cwd', dir], { env: { HOME: base, AEGIS_BASE_URL: server.url } });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('Hello.\n');
    const [s] = await sessionsIn(dir);
    expect(s?.status).toBe('killed');
    expect(r.err).toContain(`Ended session ${s?.id} (--keep keeps it live`);
  });

  it('--keep leaves it live (idle) for `ag send`', async () => {
    const dir = folder();
    const r = await ag(['run', hello, '--cwd', dir, '--keep'], {
      env: { HOME: base, AEGIS_BASE_URL: server.url },
    });
    expect(r.code, r.err).toBe(0);
    const [s] = await sessionsIn(dir);
    expect(s?.status).toBe('idle');
    expect(r.err).toContain(`Session ${s?.id} stays live (--keep)`);
  });

  it('runs in a row never meet the per-user session limit (here 2 live sessions)', async () => {
    const limited = await startServer({
      ignoreEnv: true,
      config: scriptedServerConfig(base, {
        stateDir: join(base, 'limited-state'),
        limits: { sessionsPerKey: 2 },
      }),
    });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await ag(['run', hello, '--cwd', folder()], {
          env: { HOME: base, AEGIS_BASE_URL: limited.url },
        });
        expect(r.code, r.err).toBe(0);
      }
    } finally {
      await limited.close();
    }
  });

  it('leaves a reused session (someone else’s) live', async () => {
    const dir = folder();
    const { session } = await server.aegis.sessions.create({ workDir: dir });
    const r = await ag(['run', hello, '--cwd', dir], { env: { HOME: base, AEGIS_BASE_URL: server.url } });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`Reusing session ${session.id}`);
    expect((await server.aegis.sessions.get(session.id)).status).toBe('idle');
  });
});

describe('ag run in a folder under the system temp directory', () => {
  it('works with the server it starts itself (that server allows the folder it was started for)', async () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-run-tmp-')));
    const dir = join(home, 'project');
    mkdirSync(dir);
    const r = await ag(['run', hello, '--cwd', dir], {
      cwd: dir,
      env: {
        HOME: home,
        AEGIS_PORT: String(await freePort()),
        AEGIS_STATE_DIR: join(home, 'state'),
        AEGIS_ACP_BIN: `${process.execPath} ${SCRIPTED_AGENT_BIN}`,
      },
    });
    expect(r.err).not.toContain('WORKDIR_DENIED');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('Hello.\n');
  });

  it('a running server that does not allow it says why temp folders are left out', async () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-run-tmp-')));
    const other = await startServer({
      ignoreEnv: true,
      config: { ...scriptedServerConfig(home), allowedWorkDirs: undefined as never },
    });
    try {
      const dir = join(home, 'project');
      mkdirSync(dir);
      const r = await ag(['run', hello, '--cwd', dir], { env: { HOME: home, AEGIS_BASE_URL: other.url } });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/WORKDIR_DENIED: workDir .* is outside the allowed directories/);
      expect(r.err).toMatch(/Folders under the system temp directory .* any user of this machine can create/);
    } finally {
      await other.close();
    }
  });
});
