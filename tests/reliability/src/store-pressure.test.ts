import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '@aegis/core/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  gapProblem,
  RawSse,
  type ServerProcess,
  sleep,
  slowChunks,
  startServerProcess,
  tempDir,
  waitForStatus,
} from './harness.js';

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** Sends one request and reports status + body (or the network failure) without throwing. */
async function probe(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, ms: Date.now() - started };
  } catch (err) {
    return { status: 0, body: String(err), ms: Date.now() - started };
  }
}

describe('store pressure', () => {
  const root = tempDir('store');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  it('a database locked by another process for a while: requests wait, the API stays responsive, no event is lost', async () => {
    const stateDir = root.sub('state-lock');
    const work = root.sub('work-lock');
    const server = await startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher' });
    servers.push(server);
    const dbPath = join(stateDir, 'aegis.db');
    const { session } = await server.client.createSession({
      workDir: root.sub('work-lock/a'),
      prompt: slowChunks(150, 40),
    });
    const live = new RawSse(`${server.url}/v1/sessions/${session.id}/events`);
    await live.until((f) => f.length >= 10);

    const LOCK_MS = 7_000;
    const locker = new Database(dbPath, { timeout: 1_000 });
    locker.exec('BEGIN EXCLUSIVE');
    const lockedAt = Date.now();
    let create: Promise<{ status: number; body: unknown; ms: number }>;
    const healthMs: number[] = [];
    try {
      create = probe(`${server.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workDir: root.sub('work-lock/b') }),
      });
      while (Date.now() - lockedAt < LOCK_MS) {
        const h = await probe(`${server.url}/v1/health`);
        expect(h.status).toBe(200);
        healthMs.push(h.ms);
        await sleep(250);
      }
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    const created = await create;
    console.log(
      `[figures] db locked ${LOCK_MS} ms: createSession answered ${created.status} after ${created.ms} ms; ` +
        `/v1/health during the lock: max ${Math.max(...healthMs)} ms over ${healthMs.length} probes`,
    );
    expect(created.status).toBeLessThan(300);
    expect(Math.max(...healthMs)).toBeLessThan(1_000);

    // Recovery: the running turn finishes and every event it produced is in the log, gap-free.
    const done = await waitForStatus(server.client, session.id, ['idle', 'error'], 60_000);
    await live.until((f) => f.at(-1)?.id === done.lastSeq, 10_000);
    await live.stop();
    expect(
      gapProblem(
        live.frames.map((f) => f.id),
        1,
      ),
    ).toBeNull();
    const replay = new RawSse(`${server.url}/v1/sessions/${session.id}/events`, { lastEventId: '0' });
    await replay.until((f) => f.at(-1)?.id === done.lastSeq, 10_000);
    await replay.stop();
    expect(
      gapProblem(
        replay.frames.map((f) => f.id),
        1,
      ),
    ).toBeNull();
    const fresh = await server.client.createSession({
      workDir: root.sub('work-lock/c'),
      prompt: 'after the lock',
    });
    await waitForStatus(server.client, fresh.session.id, ['idle'], 10_000);
    await server.stop();
    expect(integrity(dbPath)).toBe('ok');
  });

  it('a lock held past lockWaitMs fails the write STORE_UNAVAILABLE without blocking the event loop', async () => {
    const path = join(root.sub('bound'), 'aegis.db');
    const store = createSqliteStore({ path, lockWaitMs: 1_000 });
    const locker = new Database(path);
    locker.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    try {
      const err = await store.write({ sessions: [], events: [] }).then(
        () => null,
        (e: { code?: string; message?: string }) => e,
      );
      expect(err?.code).toBe('STORE_UNAVAILABLE');
      expect(err?.message).toMatch(/locked/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ticks).toBeGreaterThan(30);
    } finally {
      clearInterval(ticker);
      locker.exec('ROLLBACK');
      locker.close();
    }
    await store.write({ sessions: [], events: [] });
    await store.close();
    expect(integrity(path)).toBe('ok');
  });

  it('a full disk gives clear errors, keeps the database intact, and recovers when space is freed', async (ctx) => {
    const mnt = root.sub('tiny');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.log(
        `[skip] full disk: mount -t tmpfs refused here: ${(mounted.stderr || mounted.error?.message || '').trim()}`,
      );
      ctx.skip();
      return;
    }
    try {
      const stateDir = join(mnt, 'state');
      mkdirSync(stateDir);
      const work = root.sub('work-full');
      const server = await startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher' });
      servers.push(server);
      const ballast = join(mnt, 'ballast');
      // Fill the disk, leaving nothing for the WAL to grow into.
      spawnSync('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=64k'], { encoding: 'utf8' });
      const results: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await probe(`${server.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ workDir: work, prompt: `script:${JSON.stringify([{ chunksBulk: 2000 }])}` }),
        });
        results.push(r.status);
        if (r.status >= 500) {
          expect(r.status).toBe(503);
          expect((r.body as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
        }
      }
      console.log(`[figures] createSession on a full disk: ${results.join(',')}`);
      expect(results).toContain(503);
      const health = await probe(`${server.url}/v1/health`);
      expect(health.status).toBe(200);
      // Failed creations leave no phantom live session behind (they would count against the limits).
      expect((health.body as { sessions: { live: number } }).sessions.live).toBe(0);
      execFileSync('rm', ['-f', ballast]);
      const ok = await server.client.createSession({
        workDir: root.sub('work-full/after'),
        prompt: 'space again',
      });
      const s = await waitForStatus(server.client, ok.session.id, ['idle'], 10_000);
      expect(s.turns).toBe(1);
      await server.stop();
      expect(integrity(join(stateDir, 'aegis.db'))).toBe('ok');
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });

  it('a disk that fills while a session streams: events are held in order, the turn is stopped honestly, and the log is gap-free once space is freed', async (ctx) => {
    const mnt = root.sub('tiny-stream');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.log(
        `[skip] disk filling mid-stream: mount -t tmpfs refused here: ${(mounted.stderr || mounted.error?.message || '').trim()}`,
      );
      ctx.skip();
      return;
    }
    try {
      const stateDir = join(mnt, 'state');
      mkdirSync(stateDir);
      const work = root.sub('work-stream');
      const HOLD_MS = 3_000;
      const server = await startServerProcess({
        stateDir,
        allowedWorkDirs: [work],
        mode: 'launcher',
        config: { storeHoldMs: HOLD_MS },
      });
      servers.push(server);
      const { session } = await server.client.createSession({ workDir: work, prompt: slowChunks(2_000, 15) });
      const id = session.id;
      const live = new RawSse(`${server.url}/v1/sessions/${id}/events`);
      await live.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 20);

      // Fill the disk while the turn streams.
      const ballast = join(mnt, 'ballast');
      spawnSync('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=64k'], { encoding: 'utf8' });
      const filledAt = Date.now();
      const framesAtFill = live.frames.length;

      // Past storeHoldMs the session says what happened, at once (from memory), and stops the turn.
      const healthMs: number[] = [];
      let stopped: Awaited<ReturnType<typeof server.client.getSession>> | undefined;
      while (Date.now() - filledAt < HOLD_MS + 20_000) {
        const h = await probe(`${server.url}/v1/health`);
        expect(h.status).toBe(200);
        healthMs.push(h.ms);
        const s = await server.client.getSession(id);
        if (s.status === 'error') {
          stopped = s;
          break;
        }
        await sleep(200);
      }
      expect(stopped?.problem?.code).toBe('STORE_UNAVAILABLE');
      expect(stopped?.problem?.message).toContain(`Storage full: free disk space in ${stateDir}`);
      const stoppedAfterMs = Date.now() - filledAt;
      const framesWhileFull = live.frames.length;
      // New work is refused with a clear error while the disk is full; reads still answer.
      const send = await probe(`${server.url}/v1/sessions/${id}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'more' }),
      });
      expect(send.status).toBe(503);
      expect(JSON.stringify(send.body)).toContain('Storage full');
      const create = await probe(`${server.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workDir: work, reuse: false }),
      });
      expect(create.status).toBe(503);
      // Nothing that is not stored was announced: the stream is still gap-free and behind the session.
      expect(
        gapProblem(
          live.frames.map((f) => f.id),
          1,
        ),
      ).toBeNull();
      expect(live.frames.at(-1)!.id).toBeLessThan(stopped!.lastSeq);

      // Free the space: the held events are written in order and streamed; the session is honest.
      execFileSync('rm', ['-f', ballast]);
      const freedAt = Date.now();
      await live.until((f) => f.some((x) => x.event.type === 'turn.failed'), 30_000);
      const flushedMs = Date.now() - freedAt;
      const after = await waitForStatus(server.client, id, ['error'], 10_000);
      await live.until((f) => f.at(-1)?.id === after.lastSeq, 10_000);
      await live.stop();
      const seen = live.frames;
      expect(
        gapProblem(
          seen.map((f) => f.id),
          1,
        ),
      ).toBeNull();
      const replay = new RawSse(`${server.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
      await replay.until((f) => f.at(-1)?.id === after.lastSeq, 10_000);
      await replay.stop();
      expect(
        gapProblem(
          replay.frames.map((f) => f.id),
          1,
        ),
      ).toBeNull();
      // Every event a client saw is in the stored log, identical and in the same place.
      expect(replay.frames.slice(0, seen.length).map((f) => f.event)).toEqual(seen.map((f) => f.event));
      const failed = replay.frames.find((f) => f.event.type === 'turn.failed')?.event;
      expect(JSON.stringify(failed?.data)).toContain('Storage full');
      const stored = await server.client.getSession(id);
      expect(stored.status).toBe('error');

      // The session takes the next prompt; the server took new sessions again.
      await server.client.sendMessage(id, { text: 'space again' });
      const done = await waitForStatus(server.client, id, ['idle'], 20_000);
      expect(done.turns).toBe(2);
      console.log(
        `[figures] disk filled mid-stream (8 MiB tmpfs, storeHoldMs ${HOLD_MS}): turn stopped ${stoppedAfterMs} ms after the fill; ` +
          `${framesWhileFull - framesAtFill} frames streamed after the fill while full, ${after.lastSeq - framesWhileFull} held and streamed after freeing space (in ${flushedMs} ms); ` +
          `log ${after.lastSeq} events gap-free; /v1/health max ${Math.max(...healthMs)} ms while full`,
      );
      await server.stop();
      expect(integrity(join(stateDir, 'aegis.db'))).toBe('ok');
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });

  it('a disk full for a few seconds mid-stream, freed within storeHoldMs: the turn goes on and no event is lost', async (ctx) => {
    const mnt = root.sub('tiny-brief');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.log(`[skip] brief full disk: mount -t tmpfs refused here: ${(mounted.stderr || '').trim()}`);
      ctx.skip();
      return;
    }
    try {
      const stateDir = join(mnt, 'state');
      mkdirSync(stateDir);
      const work = root.sub('work-brief');
      const server = await startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher' });
      servers.push(server);
      const CHUNKS = 500;
      const { session } = await server.client.createSession({
        workDir: work,
        prompt: slowChunks(CHUNKS, 15),
      });
      const live = new RawSse(`${server.url}/v1/sessions/${session.id}/events`);
      await live.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 20);
      const ballast = join(mnt, 'ballast');
      spawnSync('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=64k'], { encoding: 'utf8' });
      await sleep(4_000);
      const during = await server.client.getSession(session.id);
      execFileSync('rm', ['-f', ballast]);
      const done = await waitForStatus(server.client, session.id, ['idle', 'error'], 60_000);
      expect(done.status).toBe('idle');
      expect(during.status).toBe('working');
      await live.until((f) => f.at(-1)?.id === done.lastSeq, 10_000);
      await live.stop();
      expect(
        gapProblem(
          live.frames.map((f) => f.id),
          1,
        ),
      ).toBeNull();
      const replay = new RawSse(`${server.url}/v1/sessions/${session.id}/events`, { lastEventId: '0' });
      await replay.until((f) => f.at(-1)?.id === done.lastSeq, 10_000);
      await replay.stop();
      expect(replay.frames.map((f) => f.event)).toEqual(live.frames.map((f) => f.event));
      const chunks = replay.frames.filter((f) => f.event.type === 'message.delta').length;
      expect(chunks).toBe(CHUNKS);
      console.log(
        `[figures] disk full for 4 s mid-stream (default storeHoldMs): turn completed, ${done.lastSeq} events gap-free, ${chunks}/${CHUNKS} chunks stored`,
      );
      await server.stop();
      expect(integrity(join(stateDir, 'aegis.db'))).toBe('ok');
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });
});
