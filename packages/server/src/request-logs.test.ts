import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';
import { serve } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { resolveConfig } from './config.js';
import { configFromEnv } from './config-env.js';
import { createLogger, type LogLevel } from './logger.js';

// An agent whose command does not exist: creating a session with it is a real 502 AGENT_START_FAILED.
const driver = createAcpDriver({
  agents: { broken: { command: join(tmpdir(), 'aegis-no-such-agent') } },
  defaultAgent: 'broken',
});
const aegis = createAegis({ agent: driver, store: createMemoryStore() });
afterAll(() => aegis.close());

type Line = Record<string, unknown>;
function capture(level: LogLevel) {
  const raw: string[] = [];
  const stream = { isTTY: false, write: (s: string) => raw.push(s) } as unknown as NodeJS.WriteStream;
  return {
    logger: createLogger(level, stream),
    raw,
    /** Every line parsed as JSON: a plain-text line fails here. */
    lines: () =>
      raw
        .join('')
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line),
  };
}

const createBroken = (app: ReturnType<typeof createApp>) =>
  app.request('/v1/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workDir: process.cwd() }),
  });

describe('failures are logged as structured lines with the request id', () => {
  it('a 5xx logs one error line carrying the id the x-request-id header carries, and its code', async () => {
    const log = capture('info');
    const app = createApp({ aegis, agents: driver.agents, logger: log.logger });
    const res = await createBroken(app);
    expect(res.status).toBe(502);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = log.lines();
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      msg: 'request failed',
      requestId,
      method: 'POST',
      path: '/v1/sessions',
      status: 502,
      code: 'AGENT_START_FAILED',
    });
    expect(errors[0]?.stack).toEqual(expect.stringContaining('ENOENT'));
    // The request line of the same request carries the same id; nothing else was written.
    expect(lines.map((l) => [l.level, l.msg, l.requestId])).toEqual([
      ['error', 'request failed', requestId],
      ['info', 'request', requestId],
    ]);
  });

  it('a 4xx is not logged as an error', async () => {
    const log = capture('info');
    const app = createApp({ aegis, agents: driver.agents, logger: log.logger });
    const res = await app.request('/v1/sessions/does-not-exist');
    expect(res.status).toBe(404);
    expect(log.lines().map((l) => [l.level, l.status])).toEqual([['info', 404]]);
  });

  describe('an event stream that fails after its 200', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-logs-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // The store closes under a running server: the stream's replay read throws STORE_UNAVAILABLE.
    async function closedStoreApp() {
      const store = createSqliteStore({ path: join(dir, `${globalThis.crypto.randomUUID()}.db`) });
      const closing = createAegis({ agent: driver, store });
      const log = capture('info');
      const app = createApp({ aegis: closing, agents: driver.agents, logger: log.logger });
      await store.close();
      return { app, log };
    }

    it.each([
      [
        'in-process (app.request)',
        async (app: ReturnType<typeof createApp>) => {
          const res = await app.request('/v1/events');
          return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.text() };
        },
      ],
      [
        'through Node (a real server on port 0)',
        async (app: ReturnType<typeof createApp>) => {
          const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
          await new Promise((r) => server.once('listening', r));
          try {
            const { port } = server.address() as AddressInfo;
            const res = await fetch(`http://127.0.0.1:${port}/v1/events`);
            return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.text() };
          } finally {
            await new Promise((r) => server.close(r));
          }
        },
      ],
    ])('%s logs one error line with the stream request id and the code', async (_, open) => {
      const { app, log } = await closedStoreApp();
      const res = await open(app);
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
      await expect.poll(() => log.lines().filter((l) => l.level === 'error')).toHaveLength(1);
      expect(log.lines().find((l) => l.level === 'error')).toMatchObject({
        msg: 'event stream failed',
        requestId: res.requestId,
        path: '/v1/events',
        code: 'STORE_UNAVAILABLE',
      });
    });
  });
});

describe('AEGIS_LOG_LEVEL filters lines', () => {
  // One 200 and one 502: info writes both request lines and the error line; error only the latter.
  it.each([
    ['debug', ['info request 200', 'error request failed 502', 'info request 502']],
    ['info', ['info request 200', 'error request failed 502', 'info request 502']],
    ['warn', ['error request failed 502']],
    ['error', ['error request failed 502']],
    ['silent', []],
  ] as const)('at %s', async (level, expected) => {
    const config = resolveConfig(configFromEnv({ AEGIS_LOG_LEVEL: level }));
    expect(config.logLevel).toBe(level);
    const log = capture(config.logLevel);
    const app = createApp({ aegis, agents: driver.agents, logger: log.logger });
    expect((await app.request('/v1/health')).status).toBe(200);
    expect((await createBroken(app)).status).toBe(502);
    expect(log.lines().map((l) => `${l.level} ${l.msg} ${l.status}`)).toEqual(expected);
  });
});
