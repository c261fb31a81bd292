import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API: the real wire format (`POST /bot<token>/<method>`
 * with JSON, form or multipart bodies; `{ ok, result }` / `{ ok: false, error_code, description,
 * parameters }` answers), long-polled `getUpdates`, and a record of every call. Tests inject
 * updates (messages typed by users, button presses) and make the API fail.
 */
export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export interface TelegramUser {
  id: number;
  first_name: string;
  username?: string;
  is_bot?: boolean;
}

export interface SentMessage {
  message_id: number;
  chat_id: number;
  message_thread_id: number | null;
  text: string;
  reply_markup: unknown;
  /** Set for `sendDocument`. */
  document?: { file_name: string; content: string };
  edits: { text: string; reply_markup: unknown }[];
}

export type TelegramFault =
  | null
  /** Every call answers 502 Bad Gateway. */
  | 'error'
  /** Every connection is reset before an answer (the API is unreachable). */
  | 'unreachable'
  /** Every call answers 429 with `retry_after` seconds. */
  | { retryAfter: number };

export interface FakeTelegramApi {
  /** The API root to give the bot (grammY's `apiRoot`, `AEGIS_TG_API_ROOT`). */
  url: string;
  token: string;
  bot: TelegramUser;
  calls: TelegramCall[];
  messages: SentMessage[];
  topics: { chat_id: number; message_thread_id: number; name: string }[];
  /** Queues an update (its `update_id` is assigned) and returns it. */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown>;
  /** A user types `text` in the group (in a topic when `threadId` is given). */
  userMessage(from: TelegramUser, text: string, threadId?: number): Record<string, unknown>;
  /** A user presses an inline button with `data` under the bot's message `messageId`. */
  pressButton(from: TelegramUser, messageId: number, data: string): Record<string, unknown>;
  /**
   * Delivers `update` (one returned by `pushUpdate`, same `update_id`) again, as Telegram does when
   * its poller died before confirming it with the next `getUpdates` offset. A poller whose offset
   * is already past it does not get it: start a new bot (a restarted runner, offset 0) to be sent it.
   */
  redeliver(update: Record<string, unknown>): void;
  setFault(fault: TelegramFault): void;
  /** Updates not yet confirmed by a later `getUpdates` offset. */
  pendingUpdates(): number;
  /**
   * Long polls cut off by another `getUpdates` (two bot instances polling at once): like Telegram,
   * the earlier request is answered 409 "Conflict: terminated by other getUpdates request".
   */
  conflicts: number;
  /**
   * The server's `channels.telegram` settings for a bot on this stand-in, in its group: token,
   * group, `apiRoot`, and the chat users allowed and the role they act with.
   */
  channelConfig(users: { allowedUserIds: number[]; role: 'admin' | 'operator' | 'viewer' }): {
    token: string;
    group: number;
    apiRoot: string;
    allowedUserIds: number[];
    role: 'admin' | 'operator' | 'viewer';
  };
  close(): Promise<void>;
}

export interface FakeTelegramOptions {
  token?: string;
  /** The forum supergroup the bot is in. Default -1001234567890. */
  chatId?: number;
  /** `getChat` says topics are on (default true). */
  isForum?: boolean;
  /** `getChatMember` of the bot says it may manage topics (default true). */
  canManageTopics?: boolean;
  port?: number;
}

async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return params;
  if (type.includes('application/json')) return { ...params, ...JSON.parse(body.toString('utf8')) };
  const form = await new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  }).formData();
  for (const [k, v] of form as unknown as Iterable<[string, string | File]>) {
    if (typeof v === 'string') {
      params[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } else {
      params[k] = { file_name: v.name, content: await v.text() };
    }
  }
  return params;
}

/** Starts the stand-in on 127.0.0.1 (port 0 by default). */
export async function startFakeTelegramApi(options: FakeTelegramOptions = {}): Promise<FakeTelegramApi> {
  const token = options.token ?? '123456:TEST-token_abcdefghijklmnopqrstuv';
  const chatId = options.chatId ?? -1001234567890;
  const bot: TelegramUser = { id: 123456, is_bot: true, first_name: 'Aegis', username: 'aegis_test_bot' };
  const calls: TelegramCall[] = [];
  const messages: SentMessage[] = [];
  const topics: FakeTelegramApi['topics'] = [];
  const updates: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 100;
  let nextThreadId = 10;
  let fault: TelegramFault = null;
  const waiters = new Set<() => void>();
  const chat = { id: chatId, type: 'supergroup', title: 'Aegis test', is_forum: options.isForum ?? true };
  const now = () => Math.floor(Date.now() / 1000);

  const pushUpdate = (update: Record<string, unknown>) => {
    const u = { update_id: nextUpdateId++, ...update };
    updates.push(u);
    for (const w of waiters) w();
    return u;
  };

  type Handler = (p: Record<string, unknown>) => unknown;
  const fail = (code: number, description: string) => ({ fail: { code, description } });
  const messageOf = (m: SentMessage) => ({
    message_id: m.message_id,
    from: bot,
    chat,
    date: now(),
    ...(m.message_thread_id ? { message_thread_id: m.message_thread_id, is_topic_message: true } : {}),
    ...(m.document
      ? { document: { file_name: m.document.file_name, file_id: `f${m.message_id}` } }
      : { text: m.text }),
    ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
  });
  const send = (p: Record<string, unknown>, extra: Partial<SentMessage> = {}) => {
    if (Number(p.chat_id) !== chatId) return fail(400, 'Bad Request: chat not found');
    const threadId = p.message_thread_id === undefined ? null : Number(p.message_thread_id);
    if (threadId !== null && !topics.some((t) => t.message_thread_id === threadId))
      return fail(400, 'Bad Request: message thread not found');
    const m: SentMessage = {
      message_id: nextMessageId++,
      chat_id: chatId,
      message_thread_id: threadId,
      text: String(p.text ?? p.caption ?? ''),
      reply_markup: p.reply_markup ?? null,
      edits: [],
      ...extra,
    };
    messages.push(m);
    return messageOf(m);
  };
  const handlers: Record<string, Handler> = {
    getMe: () => ({
      ...bot,
      can_join_groups: true,
      can_read_all_group_messages: true,
      supports_inline_queries: false,
    }),
    deleteWebhook: () => true,
    setWebhook: () => true,
    getChat: (p) => (Number(p.chat_id) === chatId ? chat : fail(400, 'Bad Request: chat not found')),
    getChatMember: (p) =>
      Number(p.chat_id) !== chatId
        ? fail(400, 'Bad Request: chat not found')
        : {
            status: 'administrator',
            user: Number(p.user_id) === bot.id ? bot : { id: Number(p.user_id), first_name: 'User' },
            can_manage_topics: options.canManageTopics ?? true,
          },
    sendMessage: (p) => send(p),
    sendDocument: (p) => {
      const doc = p.document as { file_name: string; content: string } | undefined;
      if (!doc || typeof doc !== 'object')
        return fail(400, 'Bad Request: there is no document in the request');
      return send(p, { document: doc });
    },
    editMessageText: (p) => {
      const m = messages.find((x) => x.message_id === Number(p.message_id));
      if (!m) return fail(400, 'Bad Request: message to edit not found');
      m.edits.push({ text: String(p.text), reply_markup: p.reply_markup ?? null });
      m.text = String(p.text);
      m.reply_markup = p.reply_markup ?? null;
      return messageOf(m);
    },
    editMessageReplyMarkup: (p) => {
      const m = messages.find((x) => x.message_id === Number(p.message_id));
      if (!m) return fail(400, 'Bad Request: message to edit not found');
      m.edits.push({ text: m.text, reply_markup: p.reply_markup ?? null });
      m.reply_markup = p.reply_markup ?? null;
      return messageOf(m);
    },
    answerCallbackQuery: () => true,
    createForumTopic: (p) => {
      if (Number(p.chat_id) !== chatId) return fail(400, 'Bad Request: chat not found');
      if (!chat.is_forum) return fail(400, 'Bad Request: the chat is not a forum');
      const t = { chat_id: chatId, message_thread_id: nextThreadId++, name: String(p.name) };
      topics.push(t);
      return { message_thread_id: t.message_thread_id, name: t.name, icon_color: 7322096 };
    },
  };

  let poll: { terminated: boolean; done: () => void } | null = null;
  let conflicts = 0;
  async function getUpdates(p: Record<string, unknown>, res: ServerResponse): Promise<unknown> {
    if (poll) {
      poll.terminated = true;
      poll.done();
    }
    const offset = Number(p.offset ?? 0);
    if (offset > 0) while (updates.length > 0 && Number(updates[0]?.update_id) < offset) updates.shift();
    const timeoutMs = Math.min(Number(p.timeout ?? 0), 50) * 1000;
    if (updates.length === 0 && timeoutMs > 0) {
      const mine = { terminated: false, done: () => {} };
      poll = mine;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          if (poll === mine) poll = null;
          resolve();
        };
        mine.done = done;
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
        res.once('close', done);
      });
      if (mine.terminated) {
        // A client that gave its poll up (grammY's stop aborts it, then confirms with one more
        // getUpdates) may be seen closing a moment after its next request: that is no conflict.
        let closed = res.destroyed;
        res.once('close', () => {
          closed = true;
        });
        await new Promise((r) => setTimeout(r, 100));
        if (closed) return [];
        conflicts++;
        return fail(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      }
    }
    return updates.slice(0, Number(p.limit ?? 100));
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const answer = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fault === 'unreachable') return req.socket.destroy();
    if (!match) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (fault === 'error') return answer(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    if (fault && typeof fault === 'object') {
      return answer(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.retryAfter}`,
        parameters: { retry_after: fault.retryAfter },
      });
    }
    if (match[1] !== token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2] as string;
    let params: Record<string, unknown>;
    try {
      params = await readParams(req, url);
    } catch {
      return answer(400, { ok: false, error_code: 400, description: 'Bad Request: cannot parse the body' });
    }
    calls.push({ method, params, at: Date.now() });
    const result = method === 'getUpdates' ? await getUpdates(params, res) : handlers[method]?.(params);
    if (result === undefined)
      return answer(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    const failure = (result as { fail?: { code: number; description: string } }).fail;
    if (failure)
      return answer(failure.code, { ok: false, error_code: failure.code, description: failure.description });
    answer(200, { ok: true, result });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    channelConfig: (users) => ({ token, group: chatId, apiRoot: url, ...users }),
    bot,
    calls,
    messages,
    topics,
    pushUpdate,
    userMessage(from, text, threadId) {
      return pushUpdate({
        message: {
          message_id: nextMessageId++,
          from,
          chat,
          date: now(),
          text,
          ...(threadId ? { message_thread_id: threadId, is_topic_message: true } : {}),
          ...(text.startsWith('/')
            ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] }
            : {}),
        },
      });
    },
    pressButton(from, messageId, data) {
      const m = messages.find((x) => x.message_id === messageId);
      return pushUpdate({
        callback_query: {
          id: `cb${nextUpdateId}`,
          from,
          chat_instance: '1',
          data,
          ...(m ? { message: messageOf(m) } : {}),
        },
      });
    },
    redeliver(update) {
      const id = Number(update.update_id);
      const at = updates.findIndex((u) => Number(u.update_id) > id);
      updates.splice(at < 0 ? updates.length : at, 0, structuredClone(update));
      for (const w of waiters) w();
    },
    setFault(f) {
      fault = f;
    },
    pendingUpdates: () => updates.length,
    get conflicts() {
      return conflicts;
    },
    async close() {
      for (const w of waiters) w();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
