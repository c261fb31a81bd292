import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local stand-in for the Slack Web API: `POST /api/<method>` with a Bearer token and a form or
 * JSON body, answering `{ ok: true, … }` or `{ ok: false, error }` like Slack (chat.postMessage,
 * chat.update, auth.test), and a record of what it received. Faults: 500s, resets, and 429 with
 * `Retry-After`. `signInteraction` builds a signed interactivity request as Slack sends one.
 *
 * Socket Mode as Slack speaks it: `apps.connections.open` with the app-level token (`xapp-…`)
 * answers a `ws://` URL; a client that connects there gets `hello`, then each interaction as an
 * envelope (`{ envelope_id, type: 'interactive', payload, accepts_response_payload }`) that it must
 * acknowledge by sending `{ envelope_id }` back.
 */
export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts: string | null;
  text: string;
  blocks: unknown[] | null;
  updates: { text: string; blocks: unknown[] | null }[];
}

export type SlackFault = null | 'error' | 'unreachable' | { retryAfter: number };

export interface FakeSlackApi {
  /** Give this to the client as its API URL (`slackApiUrl`): ends with `/api/`. */
  url: string;
  token: string;
  calls: { method: string; params: Record<string, unknown> }[];
  messages: SlackMessage[];
  /** `chat.postEphemeral`: messages only one user sees. */
  ephemeral: { user: string; text: string; ts: string }[];
  /** The app-level token Socket Mode needs (`apps.connections.open`). */
  appToken: string;
  /** Socket Mode connections open now. */
  socketConnections(): number;
  /**
   * Sends an interaction (e.g. a `block_actions` payload) over Socket Mode to one connected
   * client; resolves with its envelope id once the client acknowledged it. Rejects when no client
   * is connected or none acknowledges within `timeoutMs` (default 5000).
   */
  sendInteractive(payload: unknown, timeoutMs?: number): Promise<string>;
  setFault(fault: SlackFault): void;
  /**
   * The server's `channels.slack` settings for an app on this stand-in, in its channel: token,
   * channel, `apiUrl`, the signing secret, the users allowed and their role, and with `socketMode`
   * the app-level token.
   */
  channelConfig(app: {
    signingSecret: string;
    allowedUserIds: string[];
    role: 'admin' | 'operator' | 'viewer';
    socketMode?: boolean;
  }): {
    token: string;
    channel: string;
    apiUrl: string;
    signingSecret: string;
    allowedUserIds: string[];
    role: 'admin' | 'operator' | 'viewer';
    appToken?: string;
  };
  close(): Promise<void>;
}

/** The headers and body of an interactivity request, signed as Slack signs them. */
export function signInteraction(
  signingSecret: string,
  payload: unknown,
  timestampSec = Math.floor(Date.now() / 1000),
): { headers: Record<string, string>; body: string } {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex');
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': `v0=${signature}`,
    },
    body,
  };
}

async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text);
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return out;
}

/** Starts the stand-in on 127.0.0.1 (port 0). */
export async function startFakeSlackApi(
  options: { token?: string; channel?: string; appToken?: string } = {},
): Promise<FakeSlackApi> {
  const token = options.token ?? 'xoxb-test-token';
  const appToken = options.appToken ?? 'xapp-1-A0TEST-1-test';
  const sockets = new Set<WebSocket>();
  const acks = new Map<string, () => void>();
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      try {
        const id = (JSON.parse(String(data)) as { envelope_id?: string }).envelope_id;
        if (id) acks.get(id)?.();
      } catch {
        // Not JSON: a real Slack would close the connection; the stand-in ignores it.
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.size,
        debug_info: { host: 'applink-stand-in', build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0TEST' },
      }),
    );
  });
  const channel = options.channel ?? 'C0123456789';
  const calls: FakeSlackApi['calls'] = [];
  const messages: SlackMessage[] = [];
  const ephemeral: FakeSlackApi['ephemeral'] = [];
  let fault: SlackFault = null;
  let clock = 1_700_000_000;

  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (fault === 'unreachable') return req.socket.destroy();
    if (fault === 'error') return answer(500, { ok: false, error: 'internal_error' });
    if (fault && typeof fault === 'object') {
      return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    }
    const method = /^\/api\/([\w.]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    let params: Record<string, unknown>;
    try {
      params = await readParams(req);
    } catch {
      return answer(200, { ok: false, error: 'invalid_form_data' });
    }
    if (method === 'apps.connections.open') {
      calls.push({ method, params });
      // Slack wants the app-level token here; a bot token is refused like this.
      if (req.headers.authorization !== `Bearer ${appToken}`)
        return answer(200, { ok: false, error: 'invalid_auth' });
      const { port: p } = server.address() as AddressInfo;
      return answer(200, { ok: true, url: `ws://127.0.0.1:${p}/link/?ticket=${randomUUID()}&app_id=A0TEST` });
    }
    if (req.headers.authorization !== `Bearer ${token}` && params.token !== token) {
      return answer(200, { ok: false, error: 'invalid_auth' });
    }
    calls.push({ method: method ?? '?', params });
    switch (method) {
      case 'auth.test':
        return answer(200, {
          ok: true,
          url: 'https://aegis-test.example/',
          team: 'Aegis',
          user: 'aegis',
          user_id: 'UBOT',
        });
      case 'chat.postMessage': {
        if (params.channel !== channel) return answer(200, { ok: false, error: 'channel_not_found' });
        const m: SlackMessage = {
          channel,
          ts: `${clock++}.000100`,
          thread_ts: typeof params.thread_ts === 'string' ? params.thread_ts : null,
          text: String(params.text ?? ''),
          blocks: (params.blocks as unknown[] | undefined) ?? null,
          updates: [],
        };
        messages.push(m);
        return answer(200, { ok: true, channel, ts: m.ts, message: { text: m.text, ts: m.ts } });
      }
      case 'chat.postEphemeral': {
        if (params.channel !== channel) return answer(200, { ok: false, error: 'channel_not_found' });
        if (typeof params.user !== 'string' || !params.user)
          return answer(200, { ok: false, error: 'user_not_in_channel' });
        const ts = `${clock++}.000200`;
        ephemeral.push({ user: params.user, text: String(params.text ?? ''), ts });
        return answer(200, { ok: true, message_ts: ts });
      }
      case 'chat.update': {
        const m = messages.find((x) => x.ts === params.ts && x.channel === params.channel);
        if (!m) return answer(200, { ok: false, error: 'message_not_found' });
        m.text = String(params.text ?? m.text);
        m.blocks = (params.blocks as unknown[] | undefined) ?? null;
        m.updates.push({ text: m.text, blocks: m.blocks });
        return answer(200, { ok: true, channel, ts: m.ts, text: m.text });
      }
      default:
        return answer(200, { ok: false, error: 'unknown_method' });
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/link/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/`;
  return {
    url,
    token,
    channelConfig: ({ socketMode, ...app }) => ({
      token,
      channel,
      apiUrl: url,
      ...app,
      ...(socketMode ? { appToken } : {}),
    }),
    calls,
    messages,
    ephemeral,
    appToken,
    socketConnections: () => [...sockets].filter((ws) => ws.readyState === ws.OPEN).length,
    sendInteractive(payload, timeoutMs = 5000) {
      const ws = [...sockets].find((w) => w.readyState === w.OPEN);
      if (!ws) return Promise.reject(new Error('no Socket Mode client is connected'));
      const envelopeId = randomUUID();
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          acks.delete(envelopeId);
          reject(new Error(`envelope ${envelopeId} was not acknowledged in ${timeoutMs} ms`));
        }, timeoutMs);
        acks.set(envelopeId, () => {
          clearTimeout(timer);
          acks.delete(envelopeId);
          resolve(envelopeId);
        });
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type: 'interactive',
            payload,
            accepts_response_payload: false,
          }),
        );
      });
    },
    setFault: (f) => {
      fault = f;
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
