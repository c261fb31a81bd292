import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAegis } from './engine.js';
import type { AegisEvent } from './events.js';
import { dropTestSchemas, openTestPgStore, startPgProxy } from './pg/__fixtures__/pg-test-db.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { AegisStore } from './store.js';
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

/** A store, a way to make it fail (a lock held elsewhere, the database cut off) and to end that. */
interface FailingStore {
  store: AegisStore;
  fail(): Promise<void>;
  recover(): Promise<void>;
  /** What pressure() says while it fails. */
  pressure: Record<string, unknown>;
  cleanup(): Promise<void>;
}

const sqliteFailing = async (dir: string): Promise<FailingStore> => {
  const path = join(dir, 'aegis.db');
  const store = createSqliteStore({ path, lockWaitMs: 100 });
  const locker = new Database(path);
  let locked = false;
  return {
    store,
    pressure: { failing: true, transient: true },
    async fail() {
      locker.exec('BEGIN EXCLUSIVE');
      locked = true;
    },
    async recover() {
      if (locked) locker.exec('ROLLBACK');
      locked = false;
    },
    async cleanup() {
      if (locked) locker.exec('ROLLBACK');
      locker.close();
    },
  };
};

const postgresFailing = async (): Promise<FailingStore> => {
  // The real local PostgreSQL behind a proxy the test cuts: connections reset, new ones refused.
  const proxy = await startPgProxy();
  const store = await openTestPgStore({ url: proxy.url, retryMs: 100 });
  return {
    store,
    pressure: { failing: true, transient: true, code: 'ECONNREFUSED' },
    fail: proxy.cut,
    recover: proxy.restore,
    cleanup: proxy.close,
  };
};

afterAll(dropTestSchemas);

describe.each([
  ['sqlite (a lock held by another process)', sqliteFailing],
  ['postgres (the database cut off)', postgresFailing],
] as const)('a store that keeps failing while a session streams: %s', (_name, makeFailing) => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('holds the events in order, stops the turn past storeHoldMs, and stores everything gap-free once it recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-store-failure-'));
    dirs.push(dir);
    const failing = await makeFailing(dir);
    const { store } = failing;
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

    await failing.fail();
    try {
      await aegis.sessions.prompt(id, 'stream');
      // The turn is stopped once writes have failed for storeHoldMs; the session says why at once.
      await until(async () => (await aegis.sessions.get(id)).status === 'error');
      const live = await aegis.sessions.get(id);
      expect(live.problem?.code).toBe('STORE_UNAVAILABLE');
      expect(live.problem?.message).toMatch(/could not be written .*turn was stopped/);
      expect(store.pressure?.()).toMatchObject(failing.pressure);
      // Nothing unstored was announced, and new prompts are refused meanwhile.
      expect(Math.max(...seen.map((e) => e.seq))).toBeLessThan(live.lastSeq);
      await expect(aegis.sessions.prompt(id, 'more')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await failing.recover();
    } finally {
      await failing.recover();
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
    await failing.cleanup();
  });
});
