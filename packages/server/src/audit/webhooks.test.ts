import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook, startWebhooks } from './webhooks.js';

const SECRET = 'whsec_0123456789abcdef';
const work = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-hooks-')));
const createFakeDriver = () =>
  createAcpDriver({
    agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
    defaultAgent: 'scripted',
  });

/** The verification recipe from docs/security.md. */
function verify(secret: string, req: IncomingMessage, body: string, toleranceSec = 300): boolean {
  const ts = String(req.headers['x-aegis-timestamp'] ?? '');
  const sig = String(req.headers['x-aegis-signature'] ?? '');
  if (Math.abs(Date.now() / 1000 - Number(ts)) > toleranceSec) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

async function receiver(statuses: number[]) {
  const received: { body: string; ok: boolean; type: string; signed: boolean }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({
        body,
        ok: verify(SECRET, req, body),
        type: String(req.headers['x-aegis-event']),
        signed: 'x-aegis-signature' in req.headers,
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    received,
    url,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean) {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('webhooks', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<body>"', () => {
    const headers = signWebhook('k'.repeat(16), '{"a":1}', 1700000000);
    expect(headers).toEqual({
      'x-aegis-timestamp': '1700000000',
      'x-aegis-signature': `sha256=${createHmac('sha256', 'k'.repeat(16)).update('1700000000.{"a":1}').digest('hex')}`,
    });
  });

  it('delivers each durable event, signed, and retries failures with backoff', async () => {
    const rx = await receiver([500, 503]);
    cleanups.push(rx.close);
    const aegis = createAegis({ agent: createFakeDriver(), store: createMemoryStore() });
    cleanups.push(() => aegis.close());
    const hooks = startWebhooks(aegis, [{ url: rx.url, secret: SECRET }], { baseDelayMs: 10 });
    cleanups.push(() => hooks.close());
    const { session } = await aegis.sessions.create({ workDir: work });
    await until(
      () => rx.received.filter((r) => r.type === 'session.created').length >= 1 && hooks.pending()[0] === 0,
    );
    // Two failed attempts, then the same event again, accepted.
    expect(rx.received.slice(0, 3).map((r) => r.type)).toEqual([
      'session.created',
      'session.created',
      'session.created',
    ]);
    expect(rx.received.every((r) => r.ok)).toBe(true);
    expect(JSON.parse(rx.received[0]?.body ?? '{}')).toMatchObject({
      sessionId: session.id,
      type: 'session.created',
    });
  });

  it('a dead receiver never blocks a session', async () => {
    const aegis = createAegis({ agent: createFakeDriver(), store: createMemoryStore() });
    cleanups.push(() => aegis.close());
    const hooks = startWebhooks(
      aegis,
      [{ url: 'http://127.0.0.1:9/unreachable', secret: SECRET, events: ['*'] }],
      {
        baseDelayMs: 60_000,
      },
    );
    cleanups.push(() => hooks.close());
    const { session } = await aegis.sessions.create({ workDir: work, prompt: 'hi' });
    expect(session.id).toBeTruthy();
    expect(hooks.pending()[0]).toBeGreaterThan(0);
  });

  it('sends only the configured event types', async () => {
    const rx = await receiver([]);
    cleanups.push(rx.close);
    const aegis = createAegis({ agent: createFakeDriver(), store: createMemoryStore() });
    cleanups.push(() => aegis.close());
    const hooks = startWebhooks(aegis, [{ url: rx.url, secret: SECRET, events: ['session.created'] }]);
    cleanups.push(() => hooks.close());
    await aegis.sessions.create({ workDir: work });
    await until(() => rx.received.length === 1 && hooks.pending()[0] === 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.received.map((r) => r.type)).toEqual(['session.created']);
  });
});

describe('webhook retries', () => {
  const run = async (status: number) => {
    const aegis = createAegis({ agent: createFakeDriver(), store: createMemoryStore() });
    const waits: number[] = [];
    let attempts = 0;
    let settle: () => void = () => {};
    const done = new Promise<void>((r) => {
      settle = r;
    });
    const hooks = startWebhooks(
      aegis,
      [{ url: 'http://hook.invalid/x', secret: SECRET, events: ['session.created'] }],
      {
        maxAttempts: 6,
        baseDelayMs: 1000,
        random: () => 0.5, // no jitter
        wait: async (ms) => {
          waits.push(ms);
        },
        fetch: (async () => {
          attempts++;
          return new Response(null, { status });
        }) as typeof fetch,
        onError: () => settle(),
      },
    );
    await aegis.sessions.create({ workDir: work });
    await done;
    hooks.close();
    await aegis.close();
    return { attempts, waits };
  };

  it('backs off exponentially on 5xx, then gives up after maxAttempts', async () => {
    expect(await run(503)).toEqual({ attempts: 6, waits: [1000, 2000, 4000, 8000, 16000] });
  });

  it.each([408, 429])('retries %i like a 5xx', async (status) => {
    expect((await run(status)).attempts).toBe(6);
  });

  it.each([400, 401, 404, 410])('does not retry a %i', async (status) => {
    expect(await run(status)).toEqual({ attempts: 1, waits: [] });
  });

  it('without a secret, delivers the same events unsigned (no signature headers)', async () => {
    const rx = await receiver([]);
    cleanups.push(rx.close);
    const aegis = createAegis({ agent: createFakeDriver(), store: createMemoryStore() });
    cleanups.push(() => aegis.close());
    const hooks = startWebhooks(aegis, [{ url: rx.url, events: ['session.created'] }]);
    cleanups.push(() => hooks.close());
    await aegis.sessions.create({ workDir: work });
    await until(() => rx.received.length === 1 && hooks.pending()[0] === 0);
    expect(rx.received[0]).toMatchObject({ type: 'session.created', signed: false });
  });
});
