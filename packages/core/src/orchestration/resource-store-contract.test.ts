import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory-store.js';
import { dropTestSchemas, openTestPgStore } from '../pg/__fixtures__/pg-test-db.js';
import { removeTmpDirs, tmpDbPath } from '../sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from '../sqlite/index.js';
import type { AegisStore } from '../store.js';
import type { PipelineRecord } from './resource-store.js';
import type { Pipeline, Template } from './schemas.js';

/** The behaviour both stores share for templates, memory entries and pipelines. */

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  removeTmpDirs();
});
afterAll(dropTestSchemas);

const template = (id: string, name: string, ownerId: string | null, prompt = 'Do {{x}}'): Template => ({
  id,
  name,
  description: null,
  prompt,
  permissionMode: 'plan',
  model: null,
  agent: null,
  env: { A: '1' },
  sandbox: null,
  budget: null,
  variables: ['x'],
  builtIn: false,
  ownerId,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

const pipeline = (
  id: string,
  ownerId: string | null,
  createdAt: string,
  status: Pipeline['status'] = 'running',
): PipelineRecord => ({
  pipeline: {
    id,
    name: `p-${id}`,
    status,
    ownerId,
    createdAt,
    updatedAt: createdAt,
    endedAt: null,
    error: null,
    stages: [
      {
        name: 'a',
        status: 'pending',
        dependsOn: [],
        sessionId: null,
        startedAt: null,
        endedAt: null,
        error: null,
      },
    ],
  },
  spec: { name: `p-${id}`, stages: [{ name: 'a', dependsOn: [], spec: { workDir: '/w', prompt: 'hi' } }] },
});

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:01:00.000Z';
const T2 = '2025-01-01T00:02:00.000Z';

describe.each([
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: tmpDbPath() })],
  ['postgres', () => openTestPgStore()],
] as [string, () => AegisStore | Promise<AegisStore>][])('resource stores: %s', (_name, create) => {
  const newStore = async () => {
    const s = await create();
    open.push(s);
    return s;
  };

  it('stores templates by id, lists them by owner and name, and deletes them', async () => {
    const { templates } = await newStore();
    await templates.put(template('t2', 'zeta', 'alice'));
    await templates.put(template('t1', 'alpha', 'alice'));
    await templates.put(template('t3', 'beta', null));
    expect(await templates.get('t1')).toEqual(template('t1', 'alpha', 'alice'));
    expect((await templates.list()).map((t) => t.id)).toEqual(['t1', 't3', 't2']);
    expect((await templates.list({ ownerId: 'alice' })).map((t) => t.id)).toEqual(['t1', 't2']);
    expect((await templates.list({ ownerId: null })).map((t) => t.id)).toEqual(['t3']);
    await templates.put({ ...template('t1', 'alpha2', 'alice'), prompt: 'new' });
    expect((await templates.get('t1'))?.prompt).toBe('new');
    expect(await templates.delete('t1')).toBe(true);
    expect(await templates.delete('t1')).toBe(false);
    expect(await templates.get('t1')).toBeUndefined();
  });

  it('rejects a second template of the same owner with the same name, but not of another owner', async () => {
    const { templates } = await newStore();
    await templates.put(template('t1', 'same', 'alice'));
    await templates.put(template('t2', 'same', 'bob'));
    await templates.put(template('t3', 'same', null));
    await expect(templates.put(template('t4', 'same', 'alice'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(templates.put(template('t5', 'same', null))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await templates.list()).length).toBe(3);
  });

  it('keeps memory entries as JSON, lists them by prefix in key order, and hides expired ones', async () => {
    const { memoryEntries: m } = await newStore();
    await m.put({ key: 'proj/b', value: { n: 1, list: [true, null] }, updatedAt: T0, expiresAt: null });
    await m.put({ key: 'proj/a', value: 'text', updatedAt: T0, expiresAt: T1 });
    await m.put({ key: 'proj_x', value: 3, updatedAt: T0, expiresAt: null });
    await m.put({ key: 'other', value: null, updatedAt: T0, expiresAt: null });
    expect(await m.get('proj/b', T0)).toEqual({
      key: 'proj/b',
      value: { n: 1, list: [true, null] },
      updatedAt: T0,
      expiresAt: null,
    });
    expect(await m.get('other', T0)).toMatchObject({ value: null });
    const keys = async (prefix: string | undefined, now: string, limit = 10) =>
      (await m.list({ prefix, now, limit })).map((e) => e.key);
    expect(await keys('proj/', T0)).toEqual(['proj/a', 'proj/b']);
    expect(await keys('proj', T0)).toEqual(['proj/a', 'proj/b', 'proj_x']);
    expect(await keys(undefined, T0, 2)).toEqual(['other', 'proj/a']);
    expect(await keys('proj/', T2)).toEqual(['proj/b']);
    expect(await m.get('proj/a', T1)).toBeUndefined();
    expect(await m.delete('proj/a', T2)).toBe(false);
    expect(await m.delete('proj/b', T2)).toBe(true);
    expect(await m.get('proj/b', T2)).toBeUndefined();
  });

  it('replaces a memory entry and purges expired ones', async () => {
    const { memoryEntries: m } = await newStore();
    await m.put({ key: 'k', value: 1, updatedAt: T0, expiresAt: T1 });
    await m.put({ key: 'k', value: 2, updatedAt: T1, expiresAt: null });
    expect(await m.get('k', T2)).toMatchObject({ value: 2, expiresAt: null });
    await m.put({ key: 'gone', value: 1, updatedAt: T0, expiresAt: T1 });
    expect(await m.deleteExpired(T2)).toBe(1);
    expect(await m.list({ now: T0, limit: 10 })).toHaveLength(1);
  });

  it('upserts pipelines, lists them newest first by owner, and finds running ones', async () => {
    const { pipelines } = await newStore();
    await pipelines.put(pipeline('p1', 'alice', T0));
    await pipelines.put(pipeline('p2', 'bob', T1));
    await pipelines.put(pipeline('p3', 'alice', T2, 'completed'));
    expect(await pipelines.get('p1')).toEqual(pipeline('p1', 'alice', T0));
    const all = await pipelines.list({ limit: 10, offset: 0 });
    expect({ ids: all.pipelines.map((p) => p.id), total: all.total }).toEqual({
      ids: ['p3', 'p2', 'p1'],
      total: 3,
    });
    const alice = await pipelines.list({ ownerId: 'alice', limit: 1, offset: 1 });
    expect({ ids: alice.pipelines.map((p) => p.id), total: alice.total }).toEqual({ ids: ['p1'], total: 2 });
    expect((await pipelines.list({ ownerId: null, limit: 10, offset: 0 })).total).toBe(0);
    expect((await pipelines.listRunning()).map((r) => r.pipeline.id).sort()).toEqual(['p1', 'p2']);
    const done = pipeline('p1', 'alice', T0, 'failed');
    await pipelines.put(done);
    expect((await pipelines.get('p1'))?.pipeline.status).toBe('failed');
    expect((await pipelines.listRunning()).map((r) => r.pipeline.id)).toEqual(['p2']);
  });

  it('refuses writes after close', async () => {
    const store = await create();
    await store.close();
    await expect(
      store.memoryEntries.put({ key: 'k', value: 1, updatedAt: T0, expiresAt: null }),
    ).rejects.toThrow();
    await expect(store.templates.put(template('t', 'n', null))).rejects.toThrow();
  });
});

describe('resource stores: sqlite durability', () => {
  it('keeps templates, memory and pipelines across a reopen', async () => {
    const path = tmpDbPath();
    const first = createSqliteStore({ path });
    await first.templates.put(template('t1', 'mine', 'alice'));
    await first.memoryEntries.put({ key: 'k', value: { deep: [1] }, updatedAt: T0, expiresAt: null });
    await first.pipelines.put(pipeline('p1', 'alice', T0));
    await first.close();
    const second = createSqliteStore({ path });
    open.push(second);
    expect(await second.templates.get('t1')).toEqual(template('t1', 'mine', 'alice'));
    expect(await second.memoryEntries.get('k', T0)).toMatchObject({ value: { deep: [1] } });
    expect(await second.pipelines.get('p1')).toEqual(pipeline('p1', 'alice', T0));
  });
});
