// Event streams against clients that do not read (issue 22, item 3), through a real server on port 0
// with SQLite and the scripted agent: raw TCP clients that open a stream and never read must not
// grow the server's memory with the size of the history; a stalled live reader is disconnected and
// resumes with Last-Event-ID without a gap; a key may hold only so many streams open (429).
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Booted, boot } from './auth/__fixtures__/attack-server.js';

vi.setConfig({ testTimeout: 120_000 });

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memory() {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

/** Opens `path` over a raw socket and stops reading once the response head has arrived. */
function stalledStream(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ socket: Socket; head: string }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n${lines.join('')}\r\n`,
    );
    socket.once('data', (chunk) => {
      socket.pause();
      resolve({ socket, head: chunk.toString('latin1').split('\r\n\r\n')[0] ?? '' });
    });
    socket.once('error', reject);
  });
}

async function newSession(s: Booted, name: string): Promise<string> {
  const dir = join(s.work, name);
  mkdirSync(dir);
  const created = await s.call('POST', '/v1/sessions', { body: { workDir: dir } });
  expect(created.status).toBe(201);
  return created.body.session.id as string;
}

/** Builds a session whose stored history is about `mib` MiB (90 KB prompts, each said back in 9 deltas). */
async function bigSession(s: Booted, name: string, mib: number, id?: string) {
  id ??= await newSession(s, name);
  const text = 'x'.repeat(90_000);
  const prompts = Math.ceil((mib * MiB) / (3 * text.length));
  for (let i = 0; i < prompts; i++) {
    const sent = await s.call('POST', `/v1/sessions/${id}/send`, {
      body: { text: script({ say: text, chunks: 9 }) },
    });
    expect(sent.status).toBe(202);
  }
  let session = (await s.call('GET', `/v1/sessions/${id}`)).body;
  for (let i = 0; i < 1200 && (session.status !== 'idle' || session.queuedPrompts > 0); i++) {
    await sleep(100);
    session = (await s.call('GET', `/v1/sessions/${id}`)).body;
  }
  expect(session.status).toBe('idle');
  return { id, lastSeq: session.lastSeq as number };
}

describe('event streams nobody reads (real server, SQLite, raw sockets)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({ limits: { requestsPerMinute: 100_000 }, eventStreams: { perKey: 100 } });
  });
  afterAll(() => s.server.close());

  it("30 clients that never read a 20 MiB history leave the server's memory bounded", async () => {
    const { id } = await bigSession(s, 'big', 20);
    const before = memory();
    const clients = await Promise.all(
      Array.from({ length: 30 }, () => stalledStream(s.server.port, `/v1/sessions/${id}/events`)),
    );
    for (const c of clients) expect(c.head).toMatch(/^HTTP\/1\.1 200/);
    let peakRss = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(150);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const after = memory();
    const grew = {
      rssMiB: +((after.rss - before.rss) / MiB).toFixed(1),
      peakRssMiB: +((peakRss - before.rss) / MiB).toFixed(1),
      heapMiB: +((after.heap - before.heap) / MiB).toFixed(1),
    };
    console.log(
      `30 stalled streams of a 20 MiB history: RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB (peak +${grew.peakRssMiB}), heap+external +${grew.heapMiB} MiB`,
    );
    for (const c of clients) c.socket.destroy();
    // Unbounded, each stream holds a whole page of the history (here ~18 MiB): well over 300 MiB.
    expect(grew.heapMiB).toBeLessThan(120);
    expect(grew.peakRssMiB).toBeLessThan(200);
  });
});

/** The `id:` of every complete frame in raw SSE text (a frame cut off by a close is not counted). */
function frameIds(raw: string): number[] {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const blocks = body.split('\n\n');
  blocks.pop();
  return blocks.flatMap((b) => {
    const id = /^id: (\d+)$/m.exec(b)?.[1];
    return id ? [Number(id)] : [];
  });
}

/** Collects the `id:` of each complete frame from SSE text fed in pieces. */
function frameIdParser() {
  const ids: number[] = [];
  let buf = '';
  return {
    ids,
    push(text: string) {
      buf += text;
      let end = buf.indexOf('\n\n');
      while (end >= 0) {
        const id = /^id: (\d+)$/m.exec(buf.slice(0, end))?.[1];
        if (id) ids.push(Number(id));
        buf = buf.slice(end + 2);
        end = buf.indexOf('\n\n');
      }
    },
  };
}

/**
 * Reads frame ids after `after` until `last` has arrived, resuming with Last-Event-ID whenever the
 * server closes the stream (as a real client does), then disconnects.
 */
async function readIdsUntil(url: string, after: number, last: number) {
  const ids: number[] = [];
  for (let attempt = 0; attempt < 20 && (ids.at(-1) ?? 0) < last; attempt++) {
    const ac = new AbortController();
    const res = await fetch(url, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(ids.at(-1) ?? after) },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const parser = frameIdParser();
    try {
      while ((parser.ids.at(-1) ?? 0) < last) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Closed by the server mid-read: resume after the last complete frame.
    } finally {
      ac.abort();
      ids.push(...parser.ids);
    }
  }
  return ids;
}

describe('a stalled live reader of /v1/events (real server, SQLite, raw socket)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({
      limits: { requestsPerMinute: 100_000 },
      eventStreams: { blockedTimeoutMs: 1500, bufferBytes: 64 * 1024 },
    });
  });
  afterAll(() => s.server.close());

  it('is disconnected after the limit, and resumes with Last-Event-ID without a gap or a repeat', async () => {
    const stalled = await stalledStream(s.server.port, '/v1/events');
    expect(stalled.head).toMatch(/^HTTP\/1\.1 200/);
    let received = '';
    const ended = new Promise<void>((resolve) => stalled.socket.once('close', () => resolve()));
    const before = memory();
    // ~12 MiB of live events, far more than the socket buffers hold, while the client reads nothing.
    const { lastSeq } = await bigSession(s, 'live', 12);
    const during = memory();
    const closedLine = () =>
      s.logs.some((l) => l.includes('event stream closed: its client has not read for too long'));
    for (let i = 0; i < 100 && !closedLine(); i++) await sleep(100);
    console.log(
      `a stalled /v1/events reader during 12 MiB of live events: heap+external +${((during.heap - before.heap) / MiB).toFixed(1)} MiB, closed by the server: ${closedLine()}`,
    );
    expect(closedLine()).toBe(true);
    // What reached the client before the close, then the rest from the log.
    stalled.socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    stalled.socket.resume();
    await ended;
    const first = frameIds(`${stalled.head}\r\n\r\n${received}`);
    expect(first.length).toBeGreaterThan(0);
    // The only session on this server: its seqs are the global ids.
    const globalLast = lastSeq;
    const last = first.at(-1)!;
    const rest = await readIdsUntil(`${s.server.url}/v1/events`, last, globalLast);
    const ids = [...first, ...rest];
    expect(ids[0]).toBe(1);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(ids.at(-1)).toBe(globalLast);
  });
});

describe('a live reader slower than the events (real server, SQLite)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({ limits: { requestsPerMinute: 100_000 }, eventStreams: { bufferBytes: 64 * 1024 } });
  });
  afterAll(() => s.server.close());

  it('gets every event once and in order: what overflows its buffer is read from the log', async () => {
    const id = await newSession(s, 'slow');
    let target = Number.POSITIVE_INFINITY;
    const ac = new AbortController();
    const res = await fetch(`${s.server.url}/v1/sessions/${id}/events`, { signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // Not read while 6 MiB are stored: more than the socket buffers hold, so the live buffer overflows.
    await bigSession(s, 'slow', 6, id);
    const reading = (async () => {
      const parser = frameIdParser();
      while ((parser.ids.at(-1) ?? 0) < target) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
        await sleep(2);
      }
      ac.abort();
      return parser.ids;
    })();
    // Read while 3 MiB more arrive: the log is caught up with live events coming in.
    const { lastSeq } = await bigSession(s, 'slow', 3, id);
    target = lastSeq;
    // One more event so a reader that has everything looks again now that it knows the target.
    await s.call('POST', `/v1/sessions/${id}/send`, { body: { text: script({ say: 'tail' }) } });
    const ids = await reading;
    const fellBehind = s.logs.filter((l) => l.includes('event stream fell behind its live events')).length;
    console.log(`a slow reader of ${lastSeq} events fell behind its 64 KiB buffer ${fellBehind} times`);
    expect(fellBehind).toBeGreaterThan(0);
    expect(ids.length).toBeGreaterThanOrEqual(lastSeq);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });
});

describe('open event streams per key (real server)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({ eventStreams: { perKey: 2 } });
  });
  afterAll(() => s.server.close());

  it('answers 429 past the limit, counts each key apart, and frees a slot when a stream closes', async () => {
    const admin = await s.key('admin');
    const other = await s.key('admin', admin);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const open = [
      await stalledStream(s.server.port, '/v1/events', auth(admin)),
      await stalledStream(s.server.port, '/v1/events', auth(admin)),
    ];
    for (const o of open) expect(o.head).toMatch(/^HTTP\/1\.1 200/);
    const third = await fetch(`${s.server.url}/v1/events`, { headers: auth(admin) });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    const body = await third.json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(
      /already has 2 event streams open.*Close a stream.*eventStreams\.perKey/,
    );
    expect(body.error.details).toMatchObject({ openStreams: 2, limit: 2 });

    const others = await stalledStream(s.server.port, '/v1/events', auth(other));
    expect(others.head).toMatch(/^HTTP\/1\.1 200/);

    open[0]!.socket.destroy();
    let again = await stalledStream(s.server.port, '/v1/events', auth(admin));
    for (let i = 0; i < 50 && !/^HTTP\/1\.1 200/.test(again.head); i++) {
      again.socket.destroy();
      await sleep(50);
      again = await stalledStream(s.server.port, '/v1/events', auth(admin));
    }
    expect(again.head).toMatch(/^HTTP\/1\.1 200/);
    for (const c of [open[1]!, others, again]) c.socket.destroy();
  });
});
