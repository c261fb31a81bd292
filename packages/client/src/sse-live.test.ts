// The event iterator against a real server, through a proxy that drops the SSE connection in the
// middle of a streaming turn. Needs the workspace built (`pnpm build`).
//
// The server is loaded from packages/server/dist by path, as in package.test.ts: declaring
// @aegis/server here would make the build graph cyclic (server → dashboard → client).
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AegisClient, type AegisEvent } from './client.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const serverEntry = join(root, 'packages/server/dist/index.js');
const scriptedAgent = join(root, 'packages/testkit/dist/scripted-agent/bin.js');

let tmp: string;
let upstream: { url: string; close(): Promise<void> };
let proxy: Server;
let proxyUrl: string;
/** Last-Event-ID of every event-stream request that went through the proxy, in order. */
const resumedFrom: string[] = [];
/** Cut the next event stream after this many frames have gone through (0: never). */
let dropAfterFrames = 0;
let dropped = 0;

beforeAll(async () => {
  for (const file of [serverEntry, scriptedAgent]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` at the repo root first.`);
  }
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-client-sse-')));
  mkdirSync(join(tmp, 'work'));
  const { startServer } = await import(pathToFileURL(serverEntry).href);
  upstream = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: join(tmp, 'state'),
      allowedWorkDirs: [join(tmp, 'work')],
      logLevel: 'silent',
      agents: { scripted: { command: process.execPath, args: [scriptedAgent] } },
      defaultAgent: 'scripted',
    },
  });
  const target = new URL(upstream.url);
  proxy = createServer((req, res) => {
    const isStream = /\/events$/.test(req.url ?? '');
    if (isStream) resumedFrom.push(String(req.headers['last-event-id']));
    const cutAfter = isStream ? dropAfterFrames : 0;
    if (cutAfter) dropAfterFrames = 0;
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        let frames = 0;
        let cut = false;
        up.on('data', (chunk: Buffer) => {
          if (cut) return;
          if (!cutAfter) return void res.write(chunk);
          // Pass whole frames until `cutAfter` of them went through, then kill the socket once they
          // are flushed: a dropped connection mid-stream, with no end of stream.
          let text = chunk.toString('utf8');
          let end = -1;
          for (let at = text.indexOf('\n\n'); at >= 0; at = text.indexOf('\n\n', at + 2)) {
            if (++frames >= cutAfter) {
              end = at + 2;
              break;
            }
          }
          if (end < 0) return void res.write(text);
          text = text.slice(0, end);
          cut = true;
          dropped++;
          up.destroy();
          res.write(text, () => res.socket?.destroy());
        });
        up.on('end', () => res.end());
        up.on('error', () => res.destroy());
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  await upstream?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const script = (...steps: unknown[]) => `script:${JSON.stringify(steps)}`;

/** Events of `id` up to its first turn.completed. */
async function untilTurnEnds(stream: AsyncGenerator<AegisEvent>): Promise<AegisEvent[]> {
  const seen: AegisEvent[] = [];
  for await (const e of stream) {
    seen.push(e);
    if (e.type === 'turn.completed' || e.type === 'turn.failed') break;
  }
  return seen;
}

describe('streamSessionEvents through a proxy that drops the connection (live server)', () => {
  it('resumes with Last-Event-ID: every event once, in order, no gap', { timeout: 60_000 }, async () => {
    const client = new AegisClient({ baseUrl: proxyUrl });
    // A turn that streams for a while, so the drop falls in the live part of the stream.
    const prompt = script(
      { say: 'one two three four five six seven eight', chunks: 8 },
      { sleep: 300 },
      { say: 'nine ten eleven twelve thirteen fourteen', chunks: 6 },
      { sleep: 300 },
      { say: 'done' },
    );
    const { session } = await client.createSession({ workDir: join(tmp, 'work'), prompt });
    dropAfterFrames = 6;
    const viaProxy = await untilTurnEnds(client.streamSessionEvents(session.id, { retryMs: 20 }));
    expect(dropped).toBe(1);

    const seqs = viaProxy.map((e) => e.seq);
    // The second connection resumed from the last event the first one delivered.
    expect(resumedFrom).toHaveLength(2);
    expect(resumedFrom[0]).toBe('0');
    const resumedAt = Number(resumedFrom[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(seqs).toContain(resumedAt);
    expect(seqs.indexOf(resumedAt)).toBeLessThan(seqs.length - 1);
    // Gap-free and duplicate-free: exactly what the server stored, read directly afterwards.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const direct = await untilTurnEnds(
      new AegisClient({ baseUrl: upstream.url }).streamSessionEvents(session.id),
    );
    expect(seqs).toEqual(direct.map((e) => e.seq));
    expect(viaProxy.map((e) => e.type)).toEqual(direct.map((e) => e.type));
    const text = viaProxy.flatMap((e) => (e.type === 'message.delta' ? [e.data.text] : [])).join('');
    expect(text).toContain('one two three four five six seven eight');
    expect(text).toContain('nine ten eleven twelve thirteen fourteen');
  });
});
