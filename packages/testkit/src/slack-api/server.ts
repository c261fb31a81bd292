import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Slack Web API: `POST /api/<method>` with a Bearer token and a form or
 * JSON body, answering `{ ok: true, … }` or `{ ok: false, error }` like Slack (chat.postMessage,
 * chat.update, auth.test), and a record of what it received. Faults: 500s, resets, and 429 with
 * `Retry-After`. `signInteraction` builds a signed interactivity request as Slack sends one.
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
  setFault(fault: SlackFault): void;
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
  options: { token?: string; channel?: string } = {},
): Promise<FakeSlackApi> {
  const token = options.token ?? 'xoxb-test-token';
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    calls,
    messages,
    ephemeral,
    setFault: (f) => {
      fault = f;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
