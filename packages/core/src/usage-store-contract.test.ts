import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import { dropTestSchemas, openTestPgStore } from './pg/__fixtures__/pg-test-db.js';
import { makeSession, removeTmpDirs, tmpDbPath } from './sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from './sqlite/index.js';
import type { AegisStore } from './store.js';
import { aggregateUsage, type UsageQuery, type UsageRecord } from './usage.js';

/** The usage ledger every store keeps: rows written with events, read grouped, the same everywhere. */

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  removeTmpDirs();
});
afterAll(dropTestSchemas);

const implementations: [string, () => AegisStore | Promise<AegisStore>][] = [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: tmpDbPath() })],
  ['postgres', () => openTestPgStore()],
];

let turn = 0;
function row(over: Partial<UsageRecord>): UsageRecord {
  turn += 1;
  return {
    sessionId: 's1',
    turnId: `t${turn}`,
    at: '2026-03-01T10:00:00.000Z',
    day: '2026-03-01',
    ownerId: 'alice',
    templateId: null,
    model: 'm-a',
    workDir: '/w/1',
    inputTokens: 100,
    outputTokens: 10,
    cachedReadTokens: 5,
    cachedWriteTokens: 1,
    costUsd: 0.25,
    costSource: 'agent',
    toolCalls: 2,
    durationMs: 1000,
    outcome: 'completed',
    ...over,
  };
}

const ROWS: UsageRecord[] = [
  row({}),
  row({ inputTokens: 7, costUsd: 0.125 }),
  row({
    sessionId: 's2',
    ownerId: 'bob',
    model: 'm-b',
    templateId: 'tpl',
    costUsd: null,
    costSource: 'none',
  }),
  row({ sessionId: 's3', ownerId: null, day: '2026-03-02', at: '2026-03-02T01:00:00.000Z', workDir: '/w/2' }),
  row({ sessionId: 's1', day: '2026-03-05', at: '2026-03-05T23:59:59.000Z', outputTokens: 999 }),
];

describe.each(implementations)('usage ledger contract: %s', (_name, create) => {
  const stored = async (): Promise<AegisStore> => {
    const store = await create();
    open.push(store);
    // Each row goes in with the event that ends its turn, as the recorder writes it.
    let seq = 0;
    for (const r of ROWS) {
      seq += 1;
      await store.write({
        sessions: [makeSession(r.sessionId, { ownerId: r.ownerId })],
        events: [
          {
            sessionId: r.sessionId,
            seq: seq,
            at: r.at,
            type: 'turn.completed',
            data: { turnId: r.turnId, stopReason: 'end_turn', durationMs: r.durationMs },
          },
        ],
        usage: [r],
      });
    }
    return store;
  };

  const queries: [string, UsageQuery][] = [
    ['by day', { from: '2026-03-01', to: '2026-03-31', groupBy: ['day'] }],
    ['by key', { from: '2026-03-01', to: '2026-03-31', groupBy: ['key'] }],
    ['by template and model', { from: '2026-03-01', to: '2026-03-31', groupBy: ['template', 'model'] }],
    ['by session', { from: '2026-03-01', to: '2026-03-31', groupBy: ['session'] }],
    ['by workDir', { from: '2026-03-01', to: '2026-03-31', groupBy: ['workDir'] }],
    ['totals of one day', { from: '2026-03-02', to: '2026-03-02', groupBy: [] }],
    ['one owner', { from: '2026-03-01', to: '2026-03-31', groupBy: ['day'], ownerId: 'alice' }],
    ['the local user', { from: '2026-03-01', to: '2026-03-31', groupBy: ['session'], ownerId: null }],
    ['one session', { from: '2026-03-01', to: '2026-03-31', groupBy: ['day'], sessionId: 's1' }],
    ['the costliest session', { from: '2026-03-01', to: '2026-03-31', groupBy: ['session'], limit: 1 }],
    ['an empty range', { from: '2026-04-01', to: '2026-04-30', groupBy: ['day'] }],
  ];

  it.each(queries)('%s: the sums of the rows, grouped', async (_what, q) => {
    const store = await stored();
    const got = await store.usage.query(q);
    const want = aggregateUsage(ROWS, q);
    expect(got.length).toBe(want.length);
    for (const [i, g] of want.entries()) {
      const { costUsd, ...rest } = got[i] ?? { costUsd: NaN };
      const { costUsd: wantCost, ...wantRest } = g;
      expect(rest).toEqual(wantRest);
      expect(costUsd).toBeCloseTo(wantCost, 12);
    }
  });

  it('sums exactly what was written (a hand count)', async () => {
    const store = await stored();
    const [all] = await store.usage.query({ from: '2026-01-01', to: '2026-12-31', groupBy: [] });
    expect(all).toMatchObject({
      turns: 5,
      inputTokens: 407,
      outputTokens: 1039,
      cachedReadTokens: 25,
      cachedWriteTokens: 5,
      totalTokens: 1476,
      durationMs: 5000,
      toolCalls: 10,
    });
    expect(all?.costUsd).toBeCloseTo(0.25 + 0.125 + 0 + 0.25 + 0.25, 12);
    const byKey = await store.usage.query({ from: '2026-01-01', to: '2026-12-31', groupBy: ['key'] });
    expect(byKey.map((g) => g.key).sort()).toEqual(['alice', 'bob', null].sort());
  });
});
