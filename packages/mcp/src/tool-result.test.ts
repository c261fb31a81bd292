import { createServer } from 'node:net';
import { AegisApiError, AegisClient } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import { call } from './tool-result.js';

/** A localhost port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('MCP tool errors', () => {
  it('reports an API error with its code', async () => {
    const r = await call(async () => {
      throw new AegisApiError(404, 'SESSION_NOT_FOUND', 'No session x');
    });
    expect(r).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'SESSION_NOT_FOUND: No session x' }],
    });
  });

  it('reports a server that cannot be reached as AEGIS_UNREACHABLE', async () => {
    const client = new AegisClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const r = await call(() => client.getHealth());
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/^AEGIS_UNREACHABLE: .*Is the Aegis server running/);
  });

  it('reports any other failure (a bug) as INTERNAL with its message, not as unreachable', async () => {
    const r = await call(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    });
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/^INTERNAL: Cannot read properties of undefined \(reading 'id'\)\./);
  });
});
