import { envDefaults } from './env.js';
import { apiError, safeJson } from './errors.js';
import { type Connection, type StreamOptions, streamEvents } from './event-stream.js';
import { AegisOperations } from './operations.gen.js';
import type { CallOptions, RequestOptions } from './request-options.js';
import type { operations } from './schema.gen.js';
import type { AegisEvent, SendResponse } from './types.js';

export { AegisApiError } from './errors.js';
export type { StreamOptions } from './event-stream.js';
export type { AegisOperations } from './operations.gen.js';
export type { CallOptions } from './request-options.js';
export type * from './types.js';

type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

export interface AegisClientOptions {
  /** Default: `AEGIS_BASE_URL` from `process.env` where there is one (not in browsers), else http://127.0.0.1:9100 */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>`. Default: `AEGIS_AUTH_TOKEN` from `process.env` where there is one. */
  token?: string;
  fetch?: typeof fetch;
}

/** Where the client finds the server when neither `baseUrl` nor `AEGIS_BASE_URL` says otherwise. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:9100';

/**
 * A typed client for the Aegis HTTP API; one method per operation (named by `operationId`).
 * Without options it connects to `AEGIS_BASE_URL` with `AEGIS_AUTH_TOKEN` (in Node), else to
 * http://127.0.0.1:9100 without a token.
 *
 * The JSON operations are generated from the OpenAPI document (`operations.gen.ts`); what is
 * written here is what the document cannot say: event streams, text exports, the string form of
 * `sendMessage`, Telegram's secret-token header.
 *
 * @example
 * const aegis = new AegisClient();
 * const { session } = await aegis.createSession({ workDir: '/repo', prompt: 'Fix the tests' });
 * for await (const e of aegis.streamSessionEvents(session.id)) console.log(e.type);
 */
export class AegisClient extends AegisOperations {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  /**
   * `new AegisClient({ baseUrl, token })`, or the earlier documents' `new AegisClient(url, token)`.
   *
   * @example
   * const aegis = new AegisClient('http://localhost:9100', process.env.AEGIS_AUTH_TOKEN);
   */
  constructor(options?: AegisClientOptions);
  constructor(baseUrl: string, token?: string);
  constructor(optionsOrUrl: AegisClientOptions | string = {}, positionalToken?: string) {
    const options: AegisClientOptions =
      typeof optionsOrUrl === 'string'
        ? { baseUrl: optionsOrUrl, ...(positionalToken ? { token: positionalToken } : {}) }
        : optionsOrUrl;
    super();
    const env = envDefaults();
    this.baseUrl = (options.baseUrl ?? env.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#token = options.token ?? env.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  protected async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, opts.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.#auth() };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.call?.idempotencyKey !== undefined) headers['idempotency-key'] = opts.call.idempotencyKey;
    Object.assign(headers, opts.headers);
    const res = await this.#fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
    });
    const text = await res.text();
    if (!res.ok) throw apiError(res, text, text.slice(0, 200) || res.statusText);
    return (text ? safeJson(text) : undefined) as T;
  }

  /** A GET whose answer is text (CSV, NDJSON, Prometheus). */
  async #text(path: string, query?: object): Promise<string> {
    const res = await this.#fetch(this.#url(path, query), { headers: this.#auth() });
    const text = await res.text();
    if (!res.ok) throw apiError(res, text);
    return text;
  }

  #url(path: string, query: object = {}): URL {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null) url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    return url;
  }

  #auth(): Record<string, string> {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
  }

  /** A follow-up prompt: `sendMessage(id, { text })`, or `sendMessage(id, 'text')` as the earlier documents show. */
  sendMessage(id: string, body: { text: string } | string, call?: CallOptions): Promise<SendResponse> {
    const text = typeof body === 'string' ? { text: body } : body;
    return this.request('POST', `/v1/sessions/${enc(id)}/send`, { body: text, call });
  }
  /** Telegram webhook mode's endpoint (Telegram calls it, with its secret token header). */
  telegramWebhook(update: Record<string, unknown>, secretToken: string): Promise<{ ok: boolean }> {
    return this.request('POST', '/v1/channels/telegram/webhook', {
      body: update,
      headers: { 'x-telegram-bot-api-secret-token': secretToken },
    });
  }
  /** The usage groups of {@link getUsage} as CSV text. */
  exportUsage(query: Omit<Query<'getUsage'>, 'format'> = {}): Promise<string> {
    return this.#text('/v1/usage', { ...query, format: 'csv' });
  }
  /** The audit log as CSV or NDJSON text. */
  exportAudit(
    format: 'csv' | 'ndjson',
    query: Omit<Query<'queryAudit'>, 'format' | 'verify'> = {},
  ): Promise<string> {
    return this.#text('/v1/audit', { ...query, format });
  }
  /** Prometheus text exposition of the server's metrics. */
  getMetrics(): Promise<string> {
    return this.#text('/metrics');
  }
  /** The same text as {@link getMetrics}, from `GET /v1/metrics`. */
  getMetricsV1(): Promise<string> {
    return this.#text('/v1/metrics');
  }

  /** A session's events: stored ones after `after`, then live ones; reconnects with Last-Event-ID. */
  streamSessionEvents(id: string, options: StreamOptions = {}): AsyncGenerator<AegisEvent> {
    return streamEvents(this.#connection, `/v1/sessions/${enc(id)}/events`, (e) => e.seq, options);
  }

  /** Every session's events (admin), by global id. */
  streamEvents(options: StreamOptions = {}): AsyncGenerator<AegisEvent> {
    return streamEvents(this.#connection, '/v1/events', (e) => e.id, options);
  }

  get #connection(): Connection {
    return { baseUrl: this.baseUrl, token: this.#token, fetch: this.#fetch };
  }
}

const enc = encodeURIComponent;
