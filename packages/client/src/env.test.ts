import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AegisClient, DEFAULT_BASE_URL } from './client.js';
import { envDefaults } from './env.js';

const saved = { url: process.env.AEGIS_BASE_URL, token: process.env.AEGIS_AUTH_TOKEN };
let server: Server | undefined;
afterEach(async () => {
  for (const [k, v] of [
    ['AEGIS_BASE_URL', saved.url],
    ['AEGIS_AUTH_TOKEN', saved.token],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('AegisClient defaults', () => {
  it('connects to AEGIS_BASE_URL with AEGIS_AUTH_TOKEN when constructed without options', async () => {
    let auth: string | undefined;
    server = createServer((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    process.env.AEGIS_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    process.env.AEGIS_AUTH_TOKEN = 'env-secret';
    const client = new AegisClient();
    expect(client.baseUrl).toBe(process.env.AEGIS_BASE_URL.replace(/\/$/, ''));
    expect(await client.getHealth()).toEqual({ status: 'ok' });
    expect(auth).toBe('Bearer env-secret');
  });

  it('prefers the options over the environment', () => {
    process.env.AEGIS_BASE_URL = 'http://127.0.0.1:1';
    expect(new AegisClient({ baseUrl: 'http://example.test:9/' }).baseUrl).toBe('http://example.test:9');
  });

  it('falls back to http://127.0.0.1:9100 when the environment says nothing', () => {
    delete process.env.AEGIS_BASE_URL;
    expect(new AegisClient().baseUrl).toBe(DEFAULT_BASE_URL);
    expect(DEFAULT_BASE_URL).toBe('http://127.0.0.1:9100');
  });

  it.each([
    ['a browser (no process)', {}],
    ['a process without env', { process: {} }],
    ['empty values', { process: { env: { AEGIS_BASE_URL: '', AEGIS_AUTH_TOKEN: ' ' } } }],
  ])('reads nothing in %s', (_name, scope) => {
    expect(envDefaults(scope)).toEqual({});
  });
});
