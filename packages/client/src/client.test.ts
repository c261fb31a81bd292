import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AegisApiError, AegisClient } from './client.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const frame = (seq: number) =>
  `id: ${seq}\nevent: message.delta\ndata: ${JSON.stringify({ id: seq, sessionId: 's', seq, at: '', type: 'message.delta', data: { messageId: 'm', text: `t${seq}` } })}\n\n`;

describe('AegisClient', () => {
  it('throws AegisApiError carrying the envelope code', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'SESSION_NOT_FOUND', message: 'Session x does not exist.' } }));
    });
    const err = await new AegisClient({ baseUrl: url }).getSession('x').catch((e) => e);
    expect(err).toBeInstanceOf(AegisApiError);
    expect(err).toMatchObject({
      status: 404,
      code: 'SESSION_NOT_FOUND',
      message: 'Session x does not exist.',
    });
  });

  it('sends the bearer token and JSON body', async () => {
    let seen: { auth?: string; body?: string } = {};
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { auth: req.headers.authorization, body };
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"promptDelivery":{"delivered":true}}');
      });
    });
    await new AegisClient({ baseUrl: url, token: 'secret-token' }).sendMessage('s1', { text: 'hi' });
    expect(seen).toEqual({ auth: 'Bearer secret-token', body: '{"text":"hi"}' });
  });

  it('sends an Idempotency-Key given per call, and none otherwise', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers['idempotency-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const aegis = new AegisClient({ baseUrl: url });
    await aegis.sendMessage('s1', { text: 'hi' }, { idempotencyKey: 'k-1' });
    await aegis.approvePermission('s1', {}, { idempotencyKey: 'k-2' });
    await aegis.createSession({ workDir: '/w' }, { idempotencyKey: 'k-3' });
    await aegis.createSession({ workDir: '/w' });
    expect(seen).toEqual(['k-1', 'k-2', 'k-3', undefined]);
  });

  it('resumes the event stream with Last-Event-ID after a dropped connection', async () => {
    const lastIds: string[] = [];
    const url = await serve((req, res) => {
      const last = Number(req.headers['last-event-id'] ?? 0);
      lastIds.push(String(req.headers['last-event-id']));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Each connection delivers two events, then drops.
      res.write(`: ping\n\n${frame(last + 1)}${frame(last + 2)}`);
      res.end();
    });
    const client = new AegisClient({ baseUrl: url });
    const seqs: number[] = [];
    for await (const e of client.streamSessionEvents('s', { retryMs: 5 })) {
      seqs.push(e.seq);
      if (seqs.length === 5) break;
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(lastIds.slice(0, 3)).toEqual(['0', '2', '4']);
  });

  it('rides out 502/503/504 from a proxy while the server restarts, then resumes', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      const last = Number(req.headers['last-event-id'] ?? 0);
      seen.push(`${req.headers['last-event-id']}`);
      // First connection: two events then a drop; the next three attempts hit a restarting server.
      const attempt = seen.length;
      if (attempt >= 2 && attempt <= 4) {
        res.writeHead([502, 503, 504][attempt - 2]!, { 'content-type': 'text/plain' });
        res.end('upstream down');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${frame(last + 1)}${frame(last + 2)}`);
      res.end();
    });
    const seqs: number[] = [];
    for await (const e of new AegisClient({ baseUrl: url }).streamSessionEvents('s', { retryMs: 5 })) {
      seqs.push(e.seq);
      if (seqs.length === 4) break;
    }
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(seen.slice(0, 5)).toEqual(['0', '2', '2', '2', '2']);
  });

  it('still fails at once on a 4xx, and on a 503 when reconnect is off', async () => {
    let status = 401;
    const url = await serve((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: status === 401 ? 'UNAUTHORIZED' : 'UNAVAILABLE', message: 'no' } }),
      );
    });
    const first = async (reconnect?: boolean) => {
      const stream = new AegisClient({ baseUrl: url }).streamSessionEvents('s', {
        retryMs: 5,
        ...(reconnect === undefined ? {} : { reconnect }),
      });
      return stream.next().catch((e: unknown) => e);
    };
    expect(await first()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    status = 503;
    expect(await first(false)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
  });
});

describe('the calling styles of the earlier Aegis documents', () => {
  it("new AegisClient(url, token) and sendMessage(id, 'text') send the same request as the options form", async () => {
    const seen: { auth?: string; body: string; path?: string }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body, path: req.url });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new AegisClient(url, 'secret-token').sendMessage('s1', 'Hello, Claude!');
    await new AegisClient({ baseUrl: url, token: 'secret-token' }).sendMessage('s1', {
      text: 'Hello, Claude!',
    });
    expect(seen[0]).toEqual({
      auth: 'Bearer secret-token',
      body: '{"text":"Hello, Claude!"}',
      path: '/v1/sessions/s1/send',
    });
    expect(seen[1]).toEqual(seen[0]);
  });

  it('new AegisClient(url) without a token sends no Authorization header', async () => {
    let auth: string | undefined = 'unset';
    const url = await serve((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    const client = new AegisClient(url);
    expect(client.baseUrl).toBe(url);
    await client.getHealth();
    expect(auth).toBeUndefined();
  });
});
