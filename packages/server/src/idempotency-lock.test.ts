// The lock of an Idempotency-Key claim: renewed while its request runs, freed when its server is gone.
import { createMemoryIdempotencyStore, type IdempotencyStore } from '@aegis/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.js';
import { freeAbandonedIdempotencyKeys, idempotencyMiddleware } from './idempotency.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A create route behind the middleware that takes `handlerMs` and counts how often it ran. */
function app(
  store: IdempotencyStore,
  opts: { lockMs: number; handlerMs: number; claimPrefix?: string; now?: () => number },
) {
  let runs = 0;
  const a = new Hono<AppEnv>();
  a.use(async (c, next) => {
    c.set('operation', { operationId: 'createSession', params: {} });
    c.set('actor', { type: 'api-key', id: 'k1', role: 'admin' } as AppEnv['Variables']['actor']);
    await next();
  });
  a.use(
    idempotencyMiddleware({
      store,
      lockMs: opts.lockMs,
      waitMs: 5_000,
      claimPrefix: opts.claimPrefix,
      now: opts.now,
    }),
  );
  a.post('/v1/sessions', async (c) => {
    const run = ++runs;
    await sleep(opts.handlerMs);
    return c.json({ run }, 201);
  });
  const post = async () => {
    const res = await a.request('/v1/sessions', {
      method: 'POST',
      headers: { 'idempotency-key': 'k', 'content-type': 'application/json' },
      body: '{}',
    });
    return {
      status: res.status,
      body: (await res.json()) as { run: number },
      replayed: res.headers.get('idempotent-replayed'),
    };
  };
  return { post, runs: () => runs };
}

describe('Idempotency-Key claim lock', () => {
  it('is renewed while the first request runs: a duplicate past the first lock waits for its answer', async () => {
    const store = createMemoryIdempotencyStore();
    // The request takes 4 locks' worth of time; the duplicate arrives after 2.
    const a = app(store, { lockMs: 150, handlerMs: 600 });
    const first = a.post();
    await sleep(300);
    const duplicate = await a.post();
    expect(await first).toMatchObject({ status: 201, body: { run: 1 } });
    expect(duplicate).toMatchObject({ status: 201, body: { run: 1 }, replayed: 'true' });
    expect(a.runs()).toBe(1);
  });

  it("is timed by the store's clock: a server whose clock runs a minute ahead does not take a live claim", async () => {
    // Two servers on one shared store with its own clock (as PostgreSQL's); B's clock is 60 s fast.
    let clockReads = 0;
    const store: IdempotencyStore = {
      ...createMemoryIdempotencyStore(),
      clock: async () => {
        clockReads += 1;
        return Date.now();
      },
    };
    let runs = 0;
    const a = app(store, { lockMs: 1_000, handlerMs: 400 });
    const b = app(store, { lockMs: 1_000, handlerMs: 400, now: () => Date.now() + 60_000 });
    const first = a.post();
    await sleep(100);
    const duplicate = await b.post();
    expect(await first).toMatchObject({ status: 201, body: { run: 1 } });
    // By its own clock B would have found A's lock a minute past and run the create again.
    expect(duplicate).toMatchObject({ status: 201, body: { run: 1 }, replayed: 'true' });
    runs = a.runs() + b.runs();
    expect(runs).toBe(1);
    // Measured once per server (then in the background every minute), not per request.
    await b.post();
    expect(clockReads).toBe(2);
  });

  it('lapses when nothing renews it (its server died): a retry runs the request again', async () => {
    const store = createMemoryIdempotencyStore();
    const t = Date.now();
    // A claim left by a server that stopped mid-request, its lock already past.
    await store.claim({
      ownerId: 'k1',
      key: 'k',
      claimId: 'node:gone/b00t/1',
      method: 'POST',
      path: '/v1/sessions',
      fingerprint: 'irrelevant: a lapsed claim is replaced whatever it was',
      createdAt: new Date(t - 1_000).toISOString(),
      lockedUntil: new Date(t - 1).toISOString(),
      expiresAt: new Date(t + 60_000).toISOString(),
    });
    const a = app(store, { lockMs: 30_000, handlerMs: 10 });
    expect(await a.post()).toMatchObject({ status: 201, body: { run: 1 }, replayed: null });
  });

  it('is freed at once when the next process under the same node id starts', async () => {
    const store = createMemoryIdempotencyStore();
    const t = Date.now();
    const claim = (claimId: string, key: string) =>
      store.claim({
        ownerId: 'k1',
        key,
        claimId,
        method: 'POST',
        path: '/v1/sessions',
        fingerprint: 'f',
        createdAt: new Date(t).toISOString(),
        lockedUntil: new Date(t + 30_000).toISOString(),
        expiresAt: new Date(t + 60_000).toISOString(),
      });
    await claim('node:a/old-boot/1', 'k');
    await claim('node:b/its-boot/1', 'other');
    const warned: unknown[] = [];
    const prefix = await freeAbandonedIdempotencyKeys(
      { idempotency: store },
      { nodeId: 'a', holdsStateDir: false },
      { warn: (_msg: string, fields?: Record<string, unknown>) => void warned.push(fields) },
    );
    expect(prefix).toMatch(/^node:a\/[0-9a-f]{8}\/$/);
    expect(warned).toEqual([{ count: 1 }]);
    // Node b's request may still be running: its claim stands.
    expect(await store.get('k1', 'other', new Date(t).toISOString())).toMatchObject({ state: 'running' });
    const a = app(store, { lockMs: 30_000, handlerMs: 10, claimPrefix: prefix });
    expect(await a.post()).toMatchObject({ status: 201, body: { run: 1 }, replayed: null });
    const mine = await store.get('k1', 'k', new Date(t).toISOString());
    expect(mine?.claimId.startsWith(prefix)).toBe(true);
  });
});
