// GET /v1/health without credentials (a load balancer's probe): only the status, and a failure when
// the server's store does not answer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

it('answers an anonymous probe with the status only, and 503 once the store stops answering', async () => {
  const store = createMemoryStore();
  const server = await startServer({
    ignoreEnv: true,
    store,
    // The 503 is logged as a failed request; the test reads the answer instead.
    logger: createLogger('error', { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream),
    config: {
      host: '127.0.0.1',
      port: 0,
      stateDir: mkdtempSync(join(tmpdir(), 'aegis-health-')),
      authToken: 'health-probe-token-0123456789',
      agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
      defaultAgent: 'scripted',
    },
  });
  try {
    const probe = async () => {
      const res = await fetch(`${server.url}/v1/health`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await probe()).toEqual({ status: 200, body: { status: 'ok' } });
    await store.close();
    const down = await probe();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
  } finally {
    await server.close().catch(() => {});
  }
});
