import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chunkJson,
  chunkText,
  classifyRequest,
  currentTurn,
  findCwd,
  type MessagesRequestBody,
  planReply,
} from './rules.js';
import type {
  FakeMessagesApi,
  FakeMessagesApiOptions,
  PlannedBlock,
  PlannedReply,
  RecordedRequest,
  RequestKind,
} from './types.js';

const SIDE_TITLE = 'Local stand-in session';
const SIDE_TEXT = 'OK.';

function newId(prefix: string): string {
  return `${prefix}_fake${randomBytes(9).toString('hex')}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** Rough token estimate so usage numbers are plausible and stable. */
function estimateTokens(value: unknown): number {
  const s = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(s.length / 4));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': newId('req'),
    ...headers,
  });
  res.end(text);
}

function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: newId('req') };
}

/** The reply for a side request (title, suggestion, classifier, other): one short text block. */
function sideReply(kind: RequestKind): PlannedReply {
  let text = SIDE_TEXT;
  if (kind === 'title') text = JSON.stringify({ title: SIDE_TITLE });
  else if (kind === 'suggestion') text = '';
  else if (kind === 'classifier') text = '<severity>5</severity>';
  return {
    type: 'message',
    rule: `side:${kind}`,
    blocks: [{ type: 'text', text }],
    stopReason: 'end_turn',
    chunkDelayMs: 0,
  };
}

function messageObject(model: string, blocks: PlannedBlock[], stopReason: string, inputTokens: number) {
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: estimateTokens(blocks),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

async function streamMessage(
  res: http.ServerResponse,
  model: string,
  reply: Extract<PlannedReply, { type: 'message' }>,
  inputTokens: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'request-id': newId('req'),
  });
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const delay = reply.chunkDelayMs;
  const msg = messageObject(model, [], '', inputTokens);
  send('message_start', {
    type: 'message_start',
    message: { ...msg, stop_reason: null, usage: { ...msg.usage, output_tokens: 1 } },
  });
  send('ping', { type: 'ping' });
  let index = 0;
  for (const block of reply.blocks) {
    if (closed) return;
    if (block.type === 'text') {
      if (block.text.length === 0) continue;
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      for (const piece of chunkText(block.text)) {
        await sleep(delay);
        if (closed) return;
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
      }
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const piece of chunkJson(JSON.stringify(block.input))) {
        await sleep(delay);
        if (closed) return;
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    send('content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: reply.stopReason, stop_sequence: null },
    usage: { output_tokens: estimateTokens(reply.blocks) },
  });
  send('message_stop', { type: 'message_stop' });
  if (!closed) res.end();
}

/**
 * Starts a local stand-in for the Anthropic Messages API (`POST /v1/messages`, SSE or JSON) whose
 * answers are decided by the prompt rules in `FAKE_MESSAGES_RULES`. Point Claude Code at it with
 * `ANTHROPIC_BASE_URL=<url>` (see `claudeAgentEnv`).
 */
export async function startFakeMessagesApi(options: FakeMessagesApiOptions = {}): Promise<FakeMessagesApi> {
  const host = options.host ?? '127.0.0.1';
  const keepBodies = options.keepBodies ?? true;
  const retryAfter = String(options.retryAfterSeconds ?? 0);
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const record = (entry: Omit<RecordedRequest, 'index' | 'at'>): RecordedRequest => {
    const full: RecordedRequest = { index: requests.length, at: Date.now() - started, ...entry };
    requests.push(full);
    options.onRequest?.(full);
    return full;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: MessagesRequestBody | undefined;
    try {
      body = raw.length > 0 ? (JSON.parse(raw) as MessagesRequestBody) : undefined;
    } catch {
      body = undefined;
    }
    const base = {
      method,
      path: pathname,
      url,
      model: typeof body?.model === 'string' ? body.model : undefined,
      stream: body?.stream === true,
      ...(keepBodies && body !== undefined ? { body } : {}),
    };

    const isMessages = method === 'POST' && /^\/v1\/messages(\/count_tokens)?\/?$/.test(pathname);
    if (!isMessages) {
      if (method === 'GET' || method === 'HEAD') {
        // Health checks and the like: short plain text, except for API paths.
        if (!pathname.startsWith('/v1/')) {
          record({ ...base, kind: 'other', status: 200 });
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('aegis fake messages api\n');
          return;
        }
      }
      record({ ...base, kind: 'other', status: 404 });
      sendJson(res, 404, errorBody('not_found_error', `Not found: ${method} ${pathname}`));
      return;
    }
    if (!body) {
      record({ ...base, kind: 'other', status: 400 });
      sendJson(res, 400, errorBody('invalid_request_error', 'Request body must be JSON.'));
      return;
    }

    const kind = classifyRequest(pathname, body);
    const inputTokens = estimateTokens(body.messages) + estimateTokens(body.system);
    if (kind === 'count_tokens') {
      record({ ...base, kind, status: 200 });
      sendJson(res, 200, { input_tokens: inputTokens });
      return;
    }

    let reply: PlannedReply;
    let extra: Partial<RecordedRequest> = {};
    if (kind === 'main') {
      const turn = currentTurn(body);
      reply = planReply(turn, {
        tools: body.tools,
        cwd: findCwd(body),
        defaultChunkDelayMs: options.chunkDelayMs ?? 0,
        newToolUseId: () => newId('toolu'),
      });
      extra = { rule: reply.rule, prompt: turn.prompt, toolResults: turn.toolResults.length };
    } else {
      reply = sideReply(kind);
      extra = { rule: reply.rule };
    }

    if (reply.type === 'error') {
      record({ ...base, kind, ...extra, status: reply.status });
      sendJson(res, reply.status, errorBody(reply.errorType, reply.message), {
        'retry-after': retryAfter,
        ...(options.shouldRetry === true ? {} : { 'x-should-retry': 'false' }),
      });
      return;
    }
    record({ ...base, kind, ...extra, status: 200 });
    const model = base.model ?? 'claude-fake';
    if (base.stream) {
      await streamMessage(res, model, reply, inputTokens);
    } else {
      if (reply.chunkDelayMs > 0) await sleep(reply.chunkDelayMs);
      const blocks = reply.blocks.filter((b) => b.type !== 'text' || b.text.length > 0);
      sendJson(res, 200, messageObject(model, blocks, reply.stopReason, inputTokens));
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, errorBody('api_error', `fake messages api failed: ${String(err)}`));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
