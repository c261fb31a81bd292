// Issue 22, item 3, as a bounded reliability test: 30 clients open the event stream of a session
// with a ~21 MiB history and never read. The server process's RSS must stay bounded (unbounded, it
// grew by ~1.7 GiB), and the server must close the blocked streams after eventStreams.blockedTimeoutMs
// (their sockets are released). Figures are printed.
import { connect, type Socket } from 'node:net';
import { script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eventually,
  fdCount,
  rssKb,
  type ServerProcess,
  sleep,
  startServerProcess,
  tempDir,
  UNLIMITED,
  waitForStatus,
} from './harness.js';

const CLIENTS = 30;
const HISTORY_MIB = 21;
const BLOCKED_MS = 10_000;

/** Opens `path` on a raw socket and never reads past the first chunk. */
function unreadStream(port: number, path: string): Promise<{ socket: Socket; status: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    socket.once('data', (chunk) => {
      socket.pause();
      resolve({ socket, status: chunk.toString('latin1').split('\r\n')[0] ?? '' });
    });
    socket.once('error', reject);
  });
}

describe('event streams nobody reads', () => {
  const root = tempDir('unread');
  let server: ServerProcess | undefined;
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await server?.stop();
    root.remove();
  });

  it(`${CLIENTS} unread streams of a ${HISTORY_MIB} MiB history keep the server's RSS bounded and are closed after the limit`, async () => {
    server = await startServerProcess({
      stateDir: root.sub('state'),
      allowedWorkDirs: [root.dir],
      mode: 'launcher',
      config: { ...UNLIMITED, eventStreams: { perKey: 100, blockedTimeoutMs: BLOCKED_MS } },
    });
    const s = server;
    const { session } = await s.client.createSession({ workDir: root.sub('work') });
    const text = 'x'.repeat(90_000);
    const prompts = Math.ceil((HISTORY_MIB * 1024 * 1024) / (3 * text.length));
    for (let i = 0; i < prompts; i++) {
      await s.client.sendMessage(session.id, { text: script({ say: text, chunks: 9 }) });
    }
    expect(
      await eventually(async () => {
        const now = await s.client.getSession(session.id);
        return now.status === 'idle' && now.queuedPrompts === 0;
      }, 120_000),
    ).toBe(true);
    await waitForStatus(s.client, session.id, ['idle']);
    await sleep(500);
    const port = Number(new URL(s.url).port);
    const before = { rss: rssKb(s.pid), fds: fdCount(s.pid) };

    for (let i = 0; i < CLIENTS; i++) {
      const path = i === 0 ? '/v1/events' : `/v1/sessions/${session.id}/events`;
      const opened = await unreadStream(port, path);
      sockets.push(opened.socket);
      expect(opened.status).toBe('HTTP/1.1 200 OK');
    }
    const openFds = fdCount(s.pid);
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      await sleep(200);
      peak = Math.max(peak, rssKb(s.pid));
    }
    const open = { rss: rssKb(s.pid), fds: openFds };
    // Past the limit every stream is blocked and closed: the server drops their sockets.
    const released = await eventually(() => fdCount(s.pid) <= before.fds + 2, BLOCKED_MS + 15_000);
    const after = { rss: rssKb(s.pid), fds: fdCount(s.pid) };
    const mib = (kb: number) => (kb / 1024).toFixed(1);
    console.log(
      `[figures] unread streams: ${CLIENTS} clients on a ${HISTORY_MIB} MiB history: RSS ${mib(before.rss)} → ${mib(open.rss)} MiB ` +
        `(peak +${mib(peak - before.rss)} MiB); fds ${before.fds} → ${open.fds} → ${after.fds} after the ${BLOCKED_MS} ms limit`,
    );
    expect(peak - before.rss).toBeLessThan(250 * 1024);
    // The client's own keep-alive connections come and go: a few fds either way.
    expect(open.fds - before.fds).toBeGreaterThanOrEqual(CLIENTS - 5);
    expect(released).toBe(true);
    expect((await s.client.getHealth()).status).toBe('ok');
  });
});
