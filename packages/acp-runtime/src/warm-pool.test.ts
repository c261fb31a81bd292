import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHandle } from '@aegis/core';
import { script } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, recordingSink, SCRIPTED_BIN, until } from './__fixtures__/scripted.js';
import { type AcpDriver, createAcpDriver } from './driver.js';
import type { PoolOptions } from './warm-pool.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function pooled(pool: PoolOptions, env: Record<string, string> = {}) {
  const workDir = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-pool-')));
  const driver: AcpDriver = createAcpDriver({
    agents: { scripted: { command: process.execPath, args: [SCRIPTED_BIN], env } },
    shutdownGraceMs: 500,
    pool,
    onError: () => {},
  });
  const handles: AgentHandle[] = [];
  cleanups.push(async () => {
    await Promise.allSettled(handles.map((h) => h.close()));
    await driver.close();
    rmSync(workDir, { recursive: true, force: true });
  });
  const pool$ = driver.pools.get('scripted')!;
  const start = async (n: number, dir = workDir) => {
    const rec = recordingSink();
    const handle = await driver.start({ sessionId: `s${n}`, workDir: dir, agent: 'scripted' }, rec.sink);
    handles.push(handle);
    return { handle, rec };
  };
  const folder = () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-pool-dir-')));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  return { driver, pool: pool$, start, workDir, folder };
}

/** The working directory a process runs in, as the kernel sees it. */
const cwdOf = (pid: number | null) => readlinkSync(`/proc/${pid}/cwd`);

describe('warm pool', () => {
  it('hands a pre-started process to a session and never reuses it for another', async () => {
    const { pool, start } = pooled({ size: 1 });
    await pool.filled();
    const [waiting] = pool.idlePids;
    const a = await start(1);
    expect(a.handle.info.pid).toBe(waiting);
    await pool.filled();
    const b = await start(2);
    expect(b.handle.info.pid).not.toBe(a.handle.info.pid);
    await a.handle.close();
    await pool.filled();
    expect(pool.idlePids).not.toContain(a.handle.info.pid);
  });

  it('opens the agent session in the session workDir, not the pool cwd', async () => {
    const { pool, start, workDir } = pooled({ size: 1 }, {});
    await pool.filled();
    const { handle, rec } = await start(1);
    await handle.prompt(
      script({ tool: { title: 'Write a.txt', kind: 'edit', write: { path: 'a.txt', content: 'x' } } }),
    );
    expect(rec.events.some((e) => e.type === 'tool.completed')).toBe(true);
    expect(readFileSync(join(workDir, 'a.txt'), 'utf8')).toBe('x');
  });

  it('refills in the background after a claim', async () => {
    const { pool, start } = pooled({ size: 2 });
    await pool.filled();
    await start(1);
    expect(pool.idle).toBe(1);
    await pool.filled();
    expect(pool.idle).toBe(2);
  });

  it('starts replacements only once every claimed process has opened its session', async () => {
    const { pool } = pooled({ size: 2 });
    await pool.filled();
    const a = pool.claim()!;
    const b = pool.claim()!;
    cleanups.push(async () => {
      await Promise.all([a.proc.close(), b.proc.close()]);
    });
    expect(pool.idle).toBe(0);
    expect(pool.starting).toBe(0);
    pool.opened();
    expect(pool.starting).toBe(0);
    pool.opened();
    expect(pool.starting).toBe(2);
    await pool.filled();
    expect(pool.idlePids).not.toContain(a.proc.pid);
  });

  it('serves as many parallel sessions as it holds, each from its own pooled process', async () => {
    const { pool, start } = pooled({ size: 3 });
    await pool.filled();
    const waiting = pool.idlePids;
    const opened = await Promise.all([1, 2, 3].map((n) => start(n)));
    expect(opened.map((o) => o.handle.info.pid).sort()).toEqual([...waiting].sort());
    await pool.filled();
  });

  it('replaces processes idle longer than maxIdleMs', async () => {
    const { pool } = pooled({ size: 1, maxIdleMs: 300 });
    await pool.filled();
    const [first] = pool.idlePids;
    await until(() => pool.idle === 1 && pool.idlePids[0] !== first, 10_000);
    await until(() => !isAlive(first!), 5_000);
  });

  it('replaces a pooled process that dies while waiting', async () => {
    const { pool } = pooled({ size: 1 });
    await pool.filled();
    const [first] = pool.idlePids;
    process.kill(first!, 'SIGKILL');
    await until(() => pool.idle === 1 && pool.idlePids[0] !== first, 10_000);
  });

  it('close() stops every pooled process, leaving no orphans', async () => {
    const { driver, pool } = pooled({ size: 2 });
    await pool.filled();
    const pids = pool.idlePids;
    await driver.close();
    expect(pool.idle).toBe(0);
    for (const pid of pids) expect(isAlive(pid!)).toBe(false);
  });

  it('starts a fresh process for a session that brings its own env', async () => {
    const { driver, pool, workDir } = pooled({ size: 1 });
    await pool.filled();
    const [waiting] = pool.idlePids;
    const rec = recordingSink();
    const handle = await driver.start(
      { sessionId: 'e', workDir, agent: 'scripted', env: { FOO: 'bar' } },
      rec.sink,
    );
    cleanups.push(() => handle.close());
    expect(handle.info.pid).not.toBe(waiting);
    expect(pool.idlePids).toEqual([waiting]);
  });

  describe('folder affinity', () => {
    it('starts the replacement in the folder of the last session, and gives it to the next session there', async () => {
      const { pool, start, workDir } = pooled({ size: 1 });
      await pool.filled();
      expect(cwdOf(pool.idlePids[0]!)).not.toBe(workDir);
      await start(1);
      await pool.filled();
      const [waiting] = pool.idlePids;
      expect(pool.idleFolders).toEqual([workDir]);
      expect(cwdOf(waiting!)).toBe(workDir);
      const again = await start(2);
      expect(again.handle.info.pid).toBe(waiting);
    });

    it('hands a session the process already in its folder, whatever its place in the queue', async () => {
      const { pool, start, folder } = pooled({ size: 2 });
      const [a, b] = [folder(), folder()];
      await pool.filled();
      await Promise.all([start(1, a), start(2, b)]);
      await pool.filled();
      // One replacement per recent folder, the most recent first.
      expect([...pool.idleFolders].sort()).toEqual([a, b].sort());
      // The process at the back of the queue is the one for a session in its folder.
      const [first, second] = pool.idlePids;
      const [firstFolder, secondFolder] = pool.idleFolders;
      expect((await start(3, secondFolder)).handle.info.pid).toBe(second);
      expect((await start(4, firstFolder)).handle.info.pid).toBe(first);
    });

    it('a session in another folder still takes the waiting process, and a removed folder is not used again', async () => {
      const { pool, start, folder, workDir } = pooled({ size: 1 });
      const elsewhere = folder();
      await pool.filled();
      await start(1, elsewhere);
      await pool.filled();
      const [waiting] = pool.idlePids;
      expect(pool.idleFolders).toEqual([elsewhere]);
      expect((await start(2, workDir)).handle.info.pid).toBe(waiting);
      await pool.filled();
      const [inWorkDir] = pool.idlePids;
      expect(pool.idleFolders).toEqual([workDir]);
      // The folder goes away; the process waiting there dies and is replaced in the pool's own folder.
      rmSync(workDir, { recursive: true });
      process.kill(inWorkDir!, 'SIGKILL');
      await until(() => pool.idle === 1 && pool.idlePids[0] !== inWorkDir, 10_000);
      expect(pool.idleFolders).toEqual([undefined]);
      expect(cwdOf(pool.idlePids[0]!)).not.toContain(workDir);
    });
  });
});
