import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedServerConfig } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';
import { acquireStateLock, readStateLock, STATE_LOCK_FILE } from './state-lock.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-lock-')));
const open: RunningServer[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
});

/** A pid that existed a moment ago and does not any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

const start = async (dir: string) => {
  const s = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(dir, { dashboardEnabled: false }),
  });
  open.push(s);
  return s;
};

describe('state dir lock', () => {
  it('a second server on the same state dir is refused, naming the first (pid, url) and the ways out', async () => {
    const dir = join(base, 'two');
    const first = await start(dir);
    const lock = JSON.parse(readFileSync(join(first.config.stateDir, STATE_LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, url: first.url, hostname: hostname() });

    const err = await startServer({
      ignoreEnv: true,
      config: scriptedServerConfig(dir, { dashboardEnabled: false }),
    }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('CONFLICT');
    expect(err?.message).toContain(`State dir ${first.config.stateDir} is in use by another Aegis server`);
    expect(err?.message).toContain(`pid ${process.pid} at ${first.url}`);
    expect(err?.message).toContain(`--url ${first.url}`);
    expect(err?.message).toContain('AEGIS_STATE_DIR');
    // The refused start left the holder's lock alone, and the holder still answers.
    expect(readStateLock(first.config.stateDir)).toMatchObject({ state: 'live', info: { url: first.url } });
    expect((await fetch(`${first.url}/v1/health`)).status).toBe(200);
  });

  it('close() releases the lock, so the next server starts', async () => {
    const dir = join(base, 'release');
    const first = await start(dir);
    await first.close();
    expect(existsSync(join(first.config.stateDir, STATE_LOCK_FILE))).toBe(false);
    const second = await start(dir);
    expect(readStateLock(second.config.stateDir)).toMatchObject({ state: 'live', info: { url: second.url } });
  });

  it('a lock whose pid is dead is stale and taken over', async () => {
    const dir = join(base, 'stale');
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir, { recursive: true });
    const pid = deadPid();
    writeFileSync(
      join(stateDir, STATE_LOCK_FILE),
      JSON.stringify({
        pid,
        hostname: hostname(),
        url: 'http://127.0.0.1:1',
        startedAt: '2026-01-01T00:00:00.000Z',
        procStart: null,
        token: 'old',
      }),
    );
    expect(readStateLock(stateDir)).toMatchObject({ state: 'stale', why: `pid ${pid} is not running` });
    const lock = acquireStateLock(stateDir);
    try {
      expect(lock.tookOver).toMatchObject({ info: { pid }, why: `pid ${pid} is not running` });
      expect(readStateLock(stateDir)).toMatchObject({ state: 'live', info: { pid: process.pid } });
    } finally {
      lock.release();
    }
    expect(readStateLock(stateDir).state).toBe('free');
  });

  it('a live pid whose process start time differs (a reused pid) is stale', () => {
    const stateDir = join(base, 'reused');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      join(stateDir, STATE_LOCK_FILE),
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        url: null,
        startedAt: '2026-01-01T00:00:00.000Z',
        procStart: '1',
        token: 'old',
      }),
    );
    expect(readStateLock(stateDir)).toMatchObject({ state: 'stale' });
  });

  it('release() leaves a lock that is no longer this holder’s alone', () => {
    const stateDir = join(base, 'not-ours');
    mkdirSync(stateDir, { recursive: true });
    const lock = acquireStateLock(stateDir);
    const other = JSON.stringify({ pid: process.pid, hostname: hostname(), token: 'someone-else' });
    writeFileSync(lock.path, other);
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(other);
  });
});
