import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAegis } from './engine.js';
import type { AegisEvent } from './events.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import { createMemoryDriver, type MemoryStep } from './testing/memory-driver.js';

async function until(check: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const say = (text: string): MemoryStep => ({
  update: { type: 'message.delta', data: { messageId: 'm', text } },
});

describe('a store that keeps failing while a session streams', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('holds the events in order, stops the turn past storeHoldMs, and stores everything gap-free once it recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-store-failure-'));
    dirs.push(dir);
    const path = join(dir, 'aegis.db');
    const store = createSqliteStore({ path, lockWaitMs: 100 });
    const { driver } = createMemoryDriver((text) =>
      text === 'stream'
        ? [...Array.from({ length: 40 }, (_, i) => say(`c${i} `)), { waitForCancel: true }]
        : [say('ok')],
    );
    const aegis = createAegis({ agent: driver, store, storeHoldMs: 400, stallCheckIntervalMs: 20 });
    const seen: AegisEvent[] = [];
    aegis.subscribe((e) => seen.push(e));
    const { session } = await aegis.sessions.create({ workDir: dir });
    const id = session.id;

    const locker = new Database(path);
    locker.exec('BEGIN EXCLUSIVE');
    let released = false;
    try {
      await aegis.sessions.prompt(id, 'stream');
      // The turn is stopped once writes have failed for storeHoldMs; the session says why at once.
      await until(async () => (await aegis.sessions.get(id)).status === 'error');
      const live = await aegis.sessions.get(id);
      expect(live.problem?.code).toBe('STORE_UNAVAILABLE');
      expect(live.problem?.message).toMatch(/could not be written .*turn was stopped/);
      expect(store.pressure?.()).toMatchObject({ failing: true, transient: true });
      // Nothing unstored was announced, and new prompts are refused meanwhile.
      expect(Math.max(...seen.map((e) => e.seq))).toBeLessThan(live.lastSeq);
      await expect(aegis.sessions.prompt(id, 'more')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      locker.exec('ROLLBACK');
      released = true;
    } finally {
      if (!released) locker.exec('ROLLBACK');
      locker.close();
    }

    await until(() => store.pressure?.() === null);
    const stored = await store.listEvents({ sessionId: id, limit: 10_000 });
    const last = (await aegis.sessions.get(id)).lastSeq;
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(stored.filter((e) => e.type === 'message.delta')).toHaveLength(40);
    const failed = stored.find((e) => e.type === 'turn.failed');
    expect(failed?.data).toMatchObject({ problem: { code: 'STORE_UNAVAILABLE' } });
    await until(() => seen.filter((e) => e.sessionId === id).length === last);
    expect(seen.filter((e) => e.sessionId === id).map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect((await store.getSession(id))?.status).toBe('error');

    // It takes the next prompt.
    await aegis.sessions.prompt(id, 'again');
    await until(async () => (await aegis.sessions.get(id)).status === 'idle');
    await aegis.close();
  });
});
