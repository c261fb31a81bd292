import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { IdempotencyClaim } from './idempotency-store.js';
import { createMemoryStore } from './memory-store.js';
import { dropTestSchemas, openTestPgStore } from './pg/__fixtures__/pg-test-db.js';
import type { SessionStatus } from './schemas.js';
import { delta, entry, makeSession, removeTmpDirs, tmpDbPath } from './sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from './sqlite/index.js';
import type { AegisStore } from './store.js';
import type { TranscriptEntry, TranscriptRole } from './transcript.js';

/** The behaviour every {@link AegisStore} must share; SQLite-only behaviour is in sqlite/*.test.ts. */

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

describe.each(implementations)('AegisStore contract: %s', (_name, create) => {
  const newStore = async (): Promise<AegisStore> => {
    const store = await create();
    open.push(store);
    return store;
  };

  it('upserts sessions as whole objects and reads them back', async () => {
    const store = await newStore();
    const s = makeSession('s1', { pendingPermission: null, problem: { code: 'X', message: 'boom' } });
    await store.write({ sessions: [s] });
    expect(await store.getSession('s1')).toEqual(s);

    const updated = { ...s, status: 'working' as const, turns: 3, title: 'Fix bug', problem: null };
    await store.write({ sessions: [updated] });
    expect(await store.getSession('s1')).toEqual(updated);
    expect(await store.getSession('missing')).toBeUndefined();
  });

  it('lists sessions newest first, filtered by status, workDir and owner, with a total', async () => {
    const store = await newStore();
    const specs: [string, SessionStatus, string, string | null][] = [
      ['a', 'idle', '/w/1', 'alice'],
      ['b', 'working', '/w/1', 'bob'],
      ['c', 'completed', '/w/2', 'alice'],
      ['d', 'idle', '/w/2', null],
      ['e', 'crashed', '/w/1', 'alice'],
    ];
    await store.write({
      sessions: specs.map(([id, status, workDir, ownerId], i) =>
        makeSession(id, { status, workDir, ownerId, createdAt: `2025-01-0${i + 1}T00:00:00.000Z` }),
      ),
    });
    const ids = async (q: Partial<Parameters<AegisStore['listSessions']>[0]>) => {
      const { sessions, total } = await store.listSessions({ limit: 100, offset: 0, ...q });
      return { ids: sessions.map((s) => s.id), total };
    };

    expect(await ids({})).toEqual({ ids: ['e', 'd', 'c', 'b', 'a'], total: 5 });
    expect(await ids({ status: ['idle', 'working'] })).toEqual({ ids: ['d', 'b', 'a'], total: 3 });
    expect(await ids({ status: [] })).toEqual({ ids: [], total: 0 });
    expect(await ids({ workDir: '/w/1' })).toEqual({ ids: ['e', 'b', 'a'], total: 3 });
    expect(await ids({ ownerId: 'alice', workDir: '/w/1' })).toEqual({ ids: ['e', 'a'], total: 2 });
    expect(await ids({ ownerId: 'alice', status: ['completed', 'crashed'] })).toEqual({
      ids: ['e', 'c'],
      total: 2,
    });
    expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: ['d', 'c'], total: 5 });
    expect(await ids({ limit: 2, offset: 4 })).toEqual({ ids: ['a'], total: 5 });
    // The counts per state that health and /metrics read, in one query.
    expect(await store.countSessionsByStatus?.()).toEqual({ idle: 2, working: 1, completed: 1, crashed: 1 });
    await store.write({ sessions: [makeSession('b', { status: 'idle', workDir: '/w/1', ownerId: 'bob' })] });
    expect(await store.countSessionsByStatus?.()).toEqual({ idle: 3, completed: 1, crashed: 1 });
  });

  it('gives events increasing global ids and reads them back by seq and by global id', async () => {
    const store = await newStore();
    const first = await store.write({ events: [delta('s1', 1), delta('s2', 1), delta('s1', 2)] });
    const second = await store.write({ events: [delta('s2', 2), delta('s1', 3)] });
    const written = [...first.events, ...second.events];
    const ids = written.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
    expect(written[0]).toEqual({ ...delta('s1', 1), id: ids[0] });

    const s1 = await store.listEvents({ sessionId: 's1', limit: 100 });
    expect(s1.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(s1).toEqual(written.filter((e) => e.sessionId === 's1'));
    expect((await store.listEvents({ sessionId: 's1', after: 1, limit: 1 })).map((e) => e.seq)).toEqual([2]);

    expect(await store.listEvents({ limit: 100 })).toEqual(written);
    expect(await store.listEvents({ after: ids[1], limit: 2 })).toEqual(written.slice(2, 4));
    expect(await store.listEvents({ after: ids[4], limit: 10 })).toEqual([]);
  });

  it('pages a transcript forwards, backwards and by role', async () => {
    const store = await newStore();
    const roles: TranscriptRole[] = ['user', 'assistant', 'tool', 'assistant', 'plan', 'user', 'assistant'];
    const { transcript } = await store.write({ transcript: roles.map((r, i) => entry('s1', i + 1, r)) });
    await store.write({ transcript: [entry('other', 1, 'assistant')] });
    expect(transcript[4]).toEqual({ ...entry('s1', 5, 'plan'), id: transcript[4]?.id });
    const id = (i: number) => transcript[i]!.id;

    expect(await store.listTranscript({ sessionId: 's1', limit: 100 })).toEqual(transcript);
    expect(await store.listTranscript({ sessionId: 's1', after: id(1), limit: 2 })).toEqual(
      transcript.slice(2, 4),
    );
    expect(await store.listTranscript({ sessionId: 's1', before: id(3), limit: 2 })).toEqual([
      transcript[2],
      transcript[1],
    ]);
    expect(await store.listTranscript({ sessionId: 's1', before: id(1), limit: 5 })).toEqual([transcript[0]]);
    const assistant = await store.listTranscript({
      sessionId: 's1',
      roles: ['assistant', 'plan'],
      limit: 100,
    });
    expect(assistant.map((e) => e.seq)).toEqual([2, 4, 5, 7]);
    const newestUsers = await store.listTranscript({
      sessionId: 's1',
      roles: ['user'],
      before: id(6),
      limit: 1,
    });
    expect(newestUsers.map((e) => e.seq)).toEqual([6]);
    expect(await store.listTranscript({ sessionId: 'none', limit: 10 })).toEqual([]);
  });

  it('pages a transcript without gaps or duplicates while writes are happening', async () => {
    const store = await newStore();
    const roles: TranscriptRole[] = ['user', 'assistant', 'tool'];
    const writes: Promise<TranscriptEntry[]>[] = [];
    const seen: TranscriptEntry[] = [];
    const seenAssistant: TranscriptEntry[] = [];
    let seq = 0;
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 3; k++) {
        const batch = [entry('s1', ++seq, roles[seq % 3]), entry('noise', seq)];
        writes.push(store.write({ transcript: batch }).then((r) => r.transcript));
      }
      if (round % 2 === 0) await new Promise((r) => setImmediate(r));
      seen.push(...(await store.listTranscript({ sessionId: 's1', after: seen.at(-1)?.id, limit: 4 })));
      seenAssistant.push(
        ...(await store.listTranscript({
          sessionId: 's1',
          roles: ['assistant'],
          after: seenAssistant.at(-1)?.id,
          limit: 1,
        })),
      );
    }
    const all = (await Promise.all(writes)).flat().filter((e) => e.sessionId === 's1');
    for (;;) {
      const page = await store.listTranscript({ sessionId: 's1', after: seen.at(-1)?.id, limit: 7 });
      if (page.length === 0) break;
      seen.push(...page);
    }
    for (;;) {
      const page = await store.listTranscript({
        sessionId: 's1',
        roles: ['assistant'],
        after: seenAssistant.at(-1)?.id,
        limit: 3,
      });
      if (page.length === 0) break;
      seenAssistant.push(...page);
    }
    expect(seen).toEqual(all);
    expect(seenAssistant).toEqual(all.filter((e) => e.role === 'assistant'));

    const backwards: TranscriptEntry[] = [];
    for (;;) {
      const before = backwards.at(-1)?.id ?? Number.MAX_SAFE_INTEGER;
      const page = await store.listTranscript({ sessionId: 's1', before, limit: 9 });
      if (page.length === 0) break;
      backwards.push(...page);
    }
    expect(backwards).toEqual([...all].reverse());
  });

  it('resolves many concurrent writes, each with its own ids, in call order', async () => {
    const store = await newStore();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.write({
          sessions: [makeSession(`s${i}`)],
          events: [delta(`s${i}`, 1), delta(`s${i}`, 2)],
          transcript: [entry(`s${i}`, 2)],
        }),
      ),
    );
    const eventIds = results.flatMap((r) => r.events.map((e) => e.id));
    expect(eventIds).toEqual(Array.from({ length: 100 }, (_, i) => eventIds[0]! + i));
    const transcriptIds = results.flatMap((r) => r.transcript.map((e) => e.id));
    expect(transcriptIds).toEqual([...transcriptIds].sort((a, b) => a - b));
    results.forEach((r, i) => {
      expect(r.events.map((e) => [e.sessionId, e.seq])).toEqual([
        [`s${i}`, 1],
        [`s${i}`, 2],
      ]);
      expect(r.transcript[0]?.sessionId).toBe(`s${i}`);
    });
    expect((await store.listSessions({ limit: 1, offset: 0 })).total).toBe(50);
    expect(await store.listEvents({ limit: 1000 })).toEqual(results.flatMap((r) => r.events));
  });

  it("keeps an agent's conversation snapshot whole or in appended pieces, in order", async () => {
    const store = await newStore();
    const piece = (path: string, data: string, from?: number) => ({
      path,
      encoding: 'test',
      data,
      ...(from === undefined ? {} : { from }),
    });
    const at = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
    expect(await store.conversations.get('s1')).toBeUndefined();
    // Nothing to append to yet (and never to another agent session's snapshot).
    const first = {
      agentSessionId: 'a1',
      bytes: 3,
      capturedAt: at(2),
      files: [piece('t', 'one')],
      appended: true,
    };
    await expect(store.conversations.append?.('s1', first)).rejects.toMatchObject({ code: 'CONFLICT' });

    // What only the driver reads (its mark, the appended flag) is not kept.
    await store.conversations.put('s1', { ...first, appended: undefined, mark: { secret: 1 } });
    await store.conversations.append?.('s1', {
      agentSessionId: 'a1',
      bytes: 8,
      capturedAt: at(3),
      files: [piece('t', 'two', 3), piece('u', 'new')],
      appended: true,
    });
    await store.conversations.append?.('s1', {
      agentSessionId: 'a1',
      bytes: 13,
      capturedAt: at(4),
      files: [piece('t', 'three', 6)],
      appended: true,
    });
    await expect(
      store.conversations.append?.('s1', { ...first, agentSessionId: 'other' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store.conversations.get('s1')).toEqual({
      agentSessionId: 'a1',
      bytes: 13,
      capturedAt: at(4),
      files: [piece('t', 'one'), piece('t', 'two', 3), piece('u', 'new'), piece('t', 'three', 6)],
    });
    // A whole capture replaces the snapshot and every piece appended to it.
    const whole = { agentSessionId: 'a2', bytes: 4, capturedAt: at(5), files: [piece('t', 'four')] };
    await store.conversations.put('s1', whole);
    expect(await store.conversations.get('s1')).toEqual(whole);
    await store.conversations.append?.('s1', { ...whole, files: [piece('t', 'five', 4)], appended: true });
    expect((await store.conversations.get('s1'))?.files).toEqual([piece('t', 'four'), piece('t', 'five', 4)]);
    expect(await store.conversations.get('s2')).toBeUndefined();
  });

  describe('idempotency keys', () => {
    const T0 = '2025-01-01T00:00:00.000Z';
    const claim = (over: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
      ownerId: 'k1',
      key: 'retry-1',
      claimId: 'c1',
      method: 'POST',
      path: '/v1/sessions',
      fingerprint: 'f1',
      createdAt: T0,
      lockedUntil: '2025-01-01T00:05:00.000Z',
      expiresAt: '2025-01-02T00:00:00.000Z',
      ...over,
    });
    const response = { status: 201, contentType: 'application/json', body: '{"id":"s1"}' };

    it('lets the first claim win, keeps its response, and scopes keys per caller', async () => {
      const { idempotency } = await newStore();
      const first = await idempotency.claim(claim());
      expect(first).toEqual({ claimed: true, record: { ...claim(), state: 'running', response: null } });
      const second = await idempotency.claim(claim({ claimId: 'c2', fingerprint: 'f2' }));
      expect(second).toEqual({ claimed: false, record: first.record });
      expect(await idempotency.complete('k1', 'retry-1', 'c2', response)).toBe(false);
      expect(await idempotency.complete('k1', 'retry-1', 'c1', response)).toBe(true);
      const done = { ...first.record, state: 'done', response };
      expect(await idempotency.get('k1', 'retry-1', T0)).toEqual(done);
      expect(await idempotency.claim(claim({ claimId: 'c3' }))).toEqual({ claimed: false, record: done });
      // Another caller's key of the same name is its own.
      expect((await idempotency.claim(claim({ ownerId: 'k2', claimId: 'c4' }))).claimed).toBe(true);
      expect(await idempotency.get('k1', 'other', T0)).toBeUndefined();
    });

    it('gives exactly one of many concurrent claims the key', async () => {
      const { idempotency } = await newStore();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => idempotency.claim(claim({ claimId: `c${i}` }))),
      );
      const winners = results.filter((r) => r.claimed);
      expect(winners).toHaveLength(1);
      for (const r of results) expect(r.record.claimId).toBe(winners[0]?.record.claimId);
    });

    it('frees a released key, and lets an expired or abandoned record be claimed afresh', async () => {
      const { idempotency } = await newStore();
      await idempotency.claim(claim());
      expect(await idempotency.release('k1', 'retry-1', 'other')).toBe(false);
      expect(await idempotency.release('k1', 'retry-1', 'c1')).toBe(true);
      expect(await idempotency.get('k1', 'retry-1', T0)).toBeUndefined();
      expect((await idempotency.claim(claim({ claimId: 'c2' }))).claimed).toBe(true);

      // Running past lockedUntil: its server is taken as gone.
      const later = '2025-01-01T00:06:00.000Z';
      const takeover = await idempotency.claim(claim({ claimId: 'c3', createdAt: later }));
      expect(takeover.claimed).toBe(true);
      expect(await idempotency.complete('k1', 'retry-1', 'c2', response)).toBe(false);
      expect(await idempotency.complete('k1', 'retry-1', 'c3', response)).toBe(true);
      // Done records hold past lockedUntil, until they expire.
      expect((await idempotency.claim(claim({ claimId: 'c4', createdAt: later }))).claimed).toBe(false);
      const dayAfter = '2025-01-02T00:00:00.000Z';
      expect(await idempotency.get('k1', 'retry-1', dayAfter)).toBeUndefined();
      expect((await idempotency.claim(claim({ claimId: 'c5', createdAt: dayAfter }))).claimed).toBe(true);
    });

    it('moves a running claim’s lock forward, and only that claim’s', async () => {
      const { idempotency } = await newStore();
      await idempotency.claim(claim());
      const later = '2025-01-01T00:06:00.000Z';
      expect(await idempotency.renew('k1', 'retry-1', 'other', '2025-01-01T00:10:00.000Z')).toBe(false);
      expect(await idempotency.renew('k1', 'retry-1', 'c1', '2025-01-01T00:10:00.000Z')).toBe(true);
      // Past the first lock, the renewed claim still holds the key.
      expect(await idempotency.claim(claim({ claimId: 'c2', createdAt: later }))).toMatchObject({
        claimed: false,
        record: { claimId: 'c1', lockedUntil: '2025-01-01T00:10:00.000Z' },
      });
      await idempotency.complete('k1', 'retry-1', 'c1', response);
      // A done record is not renewed (nothing runs any more).
      expect(await idempotency.renew('k1', 'retry-1', 'c1', '2025-01-01T00:20:00.000Z')).toBe(false);
    });

    it('abandons the running claims of one server by their id prefix', async () => {
      const { idempotency } = await newStore();
      await idempotency.claim(claim({ key: 'a', claimId: 'node:n_1/boot1/x' }));
      await idempotency.claim(claim({ key: 'b', claimId: 'node:n_1/boot1/y' }));
      await idempotency.claim(claim({ key: 'c', claimId: 'node:n%1/boot1/z' }));
      await idempotency.claim(claim({ key: 'd', claimId: 'node:n_12/boot1/w' }));
      await idempotency.claim(claim({ key: 'e', claimId: 'node:n_1/boot1/v' }));
      await idempotency.complete('k1', 'e', 'node:n_1/boot1/v', response);
      // `%` and `_` are themselves, and a longer node id is another node.
      expect(await idempotency.abandon('node:n_1/')).toBe(2);
      expect(await idempotency.get('k1', 'a', T0)).toBeUndefined();
      expect(await idempotency.get('k1', 'b', T0)).toBeUndefined();
      expect(await idempotency.get('k1', 'c', T0)).toMatchObject({ state: 'running' });
      expect(await idempotency.get('k1', 'd', T0)).toMatchObject({ state: 'running' });
      // A finished request's answer stays.
      expect(await idempotency.get('k1', 'e', T0)).toMatchObject({ state: 'done', response });
      // The key is free: a retry claims it at once.
      expect((await idempotency.claim(claim({ key: 'a', claimId: 'c9' }))).claimed).toBe(true);
      expect(await idempotency.abandon('')).toBe(3);
    });

    it('deletes expired records', async () => {
      const { idempotency } = await newStore();
      await idempotency.claim(claim({ key: 'a', expiresAt: '2025-01-01T01:00:00.000Z' }));
      await idempotency.claim(claim({ key: 'b' }));
      expect(await idempotency.deleteExpired('2025-01-01T01:00:00.000Z')).toBe(1);
      expect(await idempotency.get('k1', 'b', T0)).toMatchObject({ key: 'b' });
      expect(await idempotency.get('k1', 'a', T0)).toBeUndefined();
    });
  });

  it('rejects writes and reads after close with STORE_UNAVAILABLE (503), not a plain error (500)', async () => {
    const store = await create();
    await store.close();
    const unavailable = { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/closed/) };
    await expect(store.write({ sessions: [makeSession('late')] })).rejects.toMatchObject(unavailable);
    await expect(store.getSession('late')).rejects.toMatchObject(unavailable);
  });
});
