import { envDefaults } from './env.js';
import type { components, operations } from './schema.gen.js';
import { parseSse } from './sse.js';

type Schemas = components['schemas'];
export type Session = Schemas['Session'];
export type SessionDetail = Schemas['SessionDetail'];
export type SessionAction = Schemas['SessionAction'];
export type SessionStatus = Schemas['SessionStatus'];
export type AegisEvent = Schemas['AegisEvent'];
export type TranscriptEntry = Schemas['TranscriptEntry'];
export type CreateSessionRequest = Schemas['CreateSessionRequest'];
export type CreateSessionResponse = Schemas['CreateSessionResponse'];
export type SessionList = Schemas['SessionList'];
export type SendResponse = Schemas['SendResponse'];
export type PermissionAnswerRequest = Schemas['PermissionAnswerRequest'];
export type PermissionAnswerResponse = Schemas['PermissionAnswerResponse'];
export type InterruptResponse = Schemas['InterruptResponse'];
export type ReadResponse = Schemas['ReadResponse'];
export type TranscriptPage = Schemas['TranscriptPage'];
export type HealthResponse = Schemas['HealthResponse'];
export type PermissionMode = Schemas['PermissionMode'];
export type ErrorBody = Schemas['ErrorResponse'];
export type BatchCreateRequest = Schemas['BatchCreateRequest'];
export type BatchCreateResponse = Schemas['BatchCreateResponse'];
export type BatchDeleteResponse = Schemas['BatchDeleteResponse'];
export type Template = Schemas['Template'];
export type TemplateInput = Schemas['TemplateInput'];
export type TemplateList = Schemas['TemplateList'];
export type MemoryEntry = Schemas['MemoryEntry'];
export type MemoryList = Schemas['MemoryList'];
export type SetMemoryRequest = Schemas['SetMemoryRequest'];
export type Pipeline = Schemas['Pipeline'];
export type PipelineList = Schemas['PipelineList'];
export type CreatePipelineRequest = Schemas['CreatePipelineRequest'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeySecret = Schemas['ApiKeySecret'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];
export type SseToken = Schemas['SseToken'];
export type AuditRecord = Schemas['AuditRecord'];
export type AuditPage = Schemas['AuditPage'];
export type AuditVerification = Schemas['AuditVerification'];
export type HandshakeRequest = Schemas['HandshakeRequest'];
export type HandshakeResponse = Schemas['HandshakeResponse'];
export type DiagnosticsResponse = Schemas['DiagnosticsResponse'];
export type SessionHealth = Schemas['SessionHealth'];
export type SessionSummary = Schemas['SessionSummary'];
export type SessionMetrics = Schemas['SessionMetrics'];
export type SessionLatency = Schemas['SessionLatency'];
export type AnswerQuestionRequest = Schemas['AnswerQuestionRequest'];
export type AnswerQuestionResponse = Schemas['AnswerQuestionResponse'];
export type EscapeResponse = Schemas['EscapeResponse'];
export type DiscoverCommandsResponse = Schemas['DiscoverCommandsResponse'];
export type PolicyRule = Schemas['PolicyRule'];
export type PolicyList = Schemas['PolicyList'];

type Query<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

/** An error answered by the API, carrying the envelope's `code` to branch on. */
export class AegisApiError extends Error {
  override readonly name = 'AegisApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface AegisClientOptions {
  /** Default: `AEGIS_BASE_URL` from `process.env` where there is one (not in browsers), else http://127.0.0.1:9100 */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>`. Default: `AEGIS_AUTH_TOKEN` from `process.env` where there is one. */
  token?: string;
  fetch?: typeof fetch;
}

export interface StreamOptions {
  /** Resume after this id (the SSE `id` of the last event you saw). */
  after?: number;
  signal?: AbortSignal;
  /**
   * Reconnect after a dropped connection, a 5xx (a restarting server, or the proxy in front of it) or
   * a 429, resuming with Last-Event-ID (default true). Other errors (401, 403, 404, …) end the stream.
   */
  reconnect?: boolean;
  /** Delay before reconnecting, doubled up to 5 s. Default 250 ms. */
  retryMs?: number;
  /**
   * Authenticate the stream with an event-stream token (`?token=`, from `createSseToken`) instead of
   * the `Authorization` header — for browsers, where an API key must never go in a URL. Tokens are
   * single-use, so pass a function to mint a fresh one for every (re)connection, e.g.
   * `() => aegis.createSseToken({ sessionId: id }).then((t) => t.token)`.
   */
  sseToken?: string | (() => string | Promise<string>);
}

/**
 * Per-call options of the operations that accept an `Idempotency-Key` (create, send, approve,
 * reject, batch and pipeline create).
 *
 * @example
 * const key = crypto.randomUUID(); // one key for the request and all its retries
 * await aegis.sendMessage(id, { text: 'Run the tests' }, { idempotencyKey: key });
 */
export interface CallOptions {
  /**
   * Sent as `Idempotency-Key`: a retry with the same key and the same request gets the first
   * response (the prompt is sent once, one session is created). 1–255 printable ASCII characters.
   */
  idempotencyKey?: string | undefined;
}

/** Where the client finds the server when neither `baseUrl` nor `AEGIS_BASE_URL` says otherwise. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:9100';

/**
 * A typed client for the Aegis HTTP API; one method per operation (named by `operationId`).
 * Without options it connects to `AEGIS_BASE_URL` with `AEGIS_AUTH_TOKEN` (in Node), else to
 * http://127.0.0.1:9100 without a token.
 *
 * @example
 * const aegis = new AegisClient();
 * const { session } = await aegis.createSession({ workDir: '/repo', prompt: 'Fix the tests' });
 * for await (const e of aegis.streamSessionEvents(session.id)) console.log(e.type);
 */
export class AegisClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: AegisClientOptions = {}) {
    const env = envDefaults();
    this.baseUrl = (options.baseUrl ?? env.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#token = options.token ?? env.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #request<T>(
    method: string,
    path: string,
    opts: { body?: unknown; query?: object; call?: CallOptions | undefined } = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.call?.idempotencyKey !== undefined) headers['idempotency-key'] = opts.call.idempotencyKey;
    const res = await this.#fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
    });
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (parsed as ErrorBody | undefined)?.error;
      throw new AegisApiError(
        res.status,
        err?.code ?? `HTTP_${res.status}`,
        err?.message ?? (text.slice(0, 200) || res.statusText),
        err?.details,
      );
    }
    return parsed as T;
  }

  getHealth(): Promise<HealthResponse> {
    return this.#request('GET', '/v1/health');
  }
  createSession(body: CreateSessionRequest, call?: CallOptions): Promise<CreateSessionResponse> {
    return this.#request('POST', '/v1/sessions', { body, call });
  }
  listSessions(query: Query<'listSessions'> = {}): Promise<SessionList> {
    return this.#request('GET', '/v1/sessions', { query });
  }
  getSession(id: string): Promise<SessionDetail> {
    return this.#request('GET', `/v1/sessions/${enc(id)}`);
  }
  killSession(id: string): Promise<Session> {
    return this.#request('DELETE', `/v1/sessions/${enc(id)}`);
  }
  sendMessage(id: string, body: { text: string }, call?: CallOptions): Promise<SendResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/send`, { body, call });
  }
  approvePermission(
    id: string,
    body: PermissionAnswerRequest = {},
    call?: CallOptions,
  ): Promise<PermissionAnswerResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/approve`, { body, call });
  }
  rejectPermission(
    id: string,
    body: PermissionAnswerRequest = {},
    call?: CallOptions,
  ): Promise<PermissionAnswerResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/reject`, { body, call });
  }
  interruptSession(id: string): Promise<InterruptResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/interrupt`);
  }
  setMode(id: string, body: { mode: PermissionMode }): Promise<Session> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/mode`, { body });
  }
  readSession(id: string, query: Query<'readSession'> = {}): Promise<ReadResponse> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/read`, { query });
  }
  getTranscriptPage(id: string, query: Query<'getTranscriptPage'> = {}): Promise<TranscriptPage> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/transcript/cursor`, { query });
  }
  batchCreateSessions(body: BatchCreateRequest, call?: CallOptions): Promise<BatchCreateResponse> {
    return this.#request('POST', '/v1/sessions/batch', { body, call });
  }
  batchDeleteSessions(body: { ids: string[] }): Promise<BatchDeleteResponse> {
    return this.#request('DELETE', '/v1/sessions/batch', { body });
  }
  listTemplates(): Promise<TemplateList> {
    return this.#request('GET', '/v1/templates');
  }
  createTemplate(body: TemplateInput): Promise<Template> {
    return this.#request('POST', '/v1/templates', { body });
  }
  getTemplate(id: string): Promise<Template> {
    return this.#request('GET', `/v1/templates/${enc(id)}`);
  }
  updateTemplate(id: string, body: TemplateInput): Promise<Template> {
    return this.#request('PUT', `/v1/templates/${enc(id)}`, { body });
  }
  deleteTemplate(id: string): Promise<Template> {
    return this.#request('DELETE', `/v1/templates/${enc(id)}`);
  }
  setMemory(key: string, body: SetMemoryRequest): Promise<MemoryEntry> {
    return this.#request('PUT', `/v1/memory/${enc(key)}`, { body });
  }
  getMemory(key: string): Promise<MemoryEntry> {
    return this.#request('GET', `/v1/memory/${enc(key)}`);
  }
  listMemory(query: Query<'listMemory'> = {}): Promise<MemoryList> {
    return this.#request('GET', '/v1/memory', { query });
  }
  deleteMemory(key: string): Promise<{ key: string; deleted: true }> {
    return this.#request('DELETE', `/v1/memory/${enc(key)}`);
  }
  createPipeline(body: CreatePipelineRequest, call?: CallOptions): Promise<Pipeline> {
    return this.#request('POST', '/v1/pipelines', { body, call });
  }
  listPipelines(query: Query<'listPipelines'> = {}): Promise<PipelineList> {
    return this.#request('GET', '/v1/pipelines', { query });
  }
  getPipeline(id: string): Promise<Pipeline> {
    return this.#request('GET', `/v1/pipelines/${enc(id)}`);
  }

  handshake(body: HandshakeRequest): Promise<HandshakeResponse> {
    return this.#request('POST', '/v1/handshake', { body });
  }
  getDiagnostics(): Promise<DiagnosticsResponse> {
    return this.#request('GET', '/v1/diagnostics');
  }
  /** Prometheus text exposition of the server's metrics. */
  async getMetrics(): Promise<string> {
    const res = await this.#fetch(new URL(`${this.baseUrl}/metrics`), {
      headers: this.#token ? { authorization: `Bearer ${this.#token}` } : {},
    });
    const text = await res.text();
    if (!res.ok) {
      const err = (safeJson(text) as ErrorBody | undefined)?.error;
      throw new AegisApiError(
        res.status,
        err?.code ?? `HTTP_${res.status}`,
        err?.message ?? res.statusText,
        err?.details,
      );
    }
    return text;
  }
  getSessionHealth(id: string): Promise<SessionHealth> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/health`);
  }
  getSessionSummary(id: string): Promise<SessionSummary> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/summary`);
  }
  getSessionMetrics(id: string): Promise<SessionMetrics> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/metrics`);
  }
  getSessionLatency(id: string): Promise<SessionLatency> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/latency`);
  }
  /** Answers the question the agent asked (session status `asking`). */
  answerQuestion(id: string, body: AnswerQuestionRequest): Promise<AnswerQuestionResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/answer`, { body });
  }
  /** Dismisses the pending question (declined) or permission (rejected) without cancelling the turn. */
  escapeSession(id: string): Promise<EscapeResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/escape`);
  }
  discoverCommands(id: string): Promise<DiscoverCommandsResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/discover-commands`);
  }
  getPermissionPolicies(): Promise<PolicyList> {
    return this.#request('GET', '/v1/policies');
  }
  setPermissionPolicies(body: { rules: PolicyRule[] }): Promise<PolicyList> {
    return this.#request('PUT', '/v1/policies', { body });
  }

  createApiKey(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.#request('POST', '/v1/auth/keys', { body });
  }
  listApiKeys(): Promise<{ keys: ApiKey[] }> {
    return this.#request('GET', '/v1/auth/keys');
  }
  revokeApiKey(id: string): Promise<ApiKey> {
    return this.#request('DELETE', `/v1/auth/keys/${enc(id)}`);
  }
  rotateApiKey(id: string, body: { gracePeriodSeconds?: number } = {}): Promise<ApiKeySecret> {
    return this.#request('POST', `/v1/auth/keys/${enc(id)}/rotate`, { body });
  }
  /** A single-use, short-lived token for `EventSource` (`?token=` on the event streams only). */
  createSseToken(body: { sessionId?: string } = {}): Promise<SseToken> {
    return this.#request('POST', '/v1/auth/sse-token', { body });
  }
  queryAudit(query: Omit<Query<'queryAudit'>, 'format'> = {}): Promise<AuditPage> {
    return this.#request('GET', '/v1/audit', { query });
  }
  /** The audit log as CSV or NDJSON text. */
  async exportAudit(
    format: 'csv' | 'ndjson',
    query: Omit<Query<'queryAudit'>, 'format' | 'verify'> = {},
  ): Promise<string> {
    const url = new URL(`${this.baseUrl}/v1/audit`);
    for (const [k, v] of Object.entries({ ...query, format }))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const res = await this.#fetch(url, {
      headers: this.#token ? { authorization: `Bearer ${this.#token}` } : {},
    });
    const text = await res.text();
    if (!res.ok) {
      const err = (safeJson(text) as ErrorBody | undefined)?.error;
      throw new AegisApiError(
        res.status,
        err?.code ?? `HTTP_${res.status}`,
        err?.message ?? res.statusText,
        err?.details,
      );
    }
    return text;
  }

  /** A session's events: stored ones after `after`, then live ones; reconnects with Last-Event-ID. */
  streamSessionEvents(id: string, options: StreamOptions = {}): AsyncGenerator<AegisEvent> {
    return this.#stream(`/v1/sessions/${enc(id)}/events`, (e) => e.seq, options);
  }

  /** Every session's events (admin), by global id. */
  streamEvents(options: StreamOptions = {}): AsyncGenerator<AegisEvent> {
    return this.#stream('/v1/events', (e) => e.id, options);
  }

  async *#stream(
    path: string,
    cursorOf: (e: AegisEvent) => number,
    options: StreamOptions,
  ): AsyncGenerator<AegisEvent> {
    let last = options.after ?? 0;
    let delay = options.retryMs ?? 250;
    const signal = options.signal;
    for (;;) {
      if (signal?.aborted) return;
      const headers: Record<string, string> = { accept: 'text/event-stream', 'last-event-id': String(last) };
      let url = this.baseUrl + path;
      let res: Response;
      try {
        if (options.sseToken !== undefined) {
          const t = typeof options.sseToken === 'function' ? await options.sseToken() : options.sseToken;
          url += `?token=${enc(t)}`;
        } else if (this.#token) headers.authorization = `Bearer ${this.#token}`;
        res = await this.#fetch(url, { headers, ...(signal ? { signal } : {}) });
      } catch (err) {
        if (err instanceof AegisApiError) throw err;
        if (signal?.aborted || options.reconnect === false) {
          if (signal?.aborted) return;
          throw err;
        }
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 5000);
        continue;
      }
      if (transient(res.status) && options.reconnect !== false && !signal?.aborted) {
        // A restarting server or the proxy in front of it (5xx), or a rate limit (429): wait and
        // resume like a drop, as the Python SDK does.
        await res.body?.cancel().catch(() => {});
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 5000);
        continue;
      }
      if (!res.ok || !res.body) {
        const text = await res.text();
        const err = (safeJson(text) as ErrorBody | undefined)?.error;
        throw new AegisApiError(
          res.status,
          err?.code ?? `HTTP_${res.status}`,
          err?.message ?? res.statusText,
          err?.details,
        );
      }
      try {
        for await (const frame of parseSse(res.body)) {
          // Frames already read from the socket must not outlive an abort.
          if (signal?.aborted) return;
          const event = safeJson(frame.data) as AegisEvent | undefined;
          if (!event) continue;
          const cursor = cursorOf(event);
          if (cursor <= last) continue;
          last = cursor;
          delay = options.retryMs ?? 250;
          yield event;
        }
      } catch (err) {
        if (signal?.aborted) return;
        if (options.reconnect === false) throw err;
      }
      if (signal?.aborted || options.reconnect === false) return;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

const enc = encodeURIComponent;
/** Statuses an event stream rides out by reconnecting, as it does a dropped connection. */
const transient = (status: number) => status >= 500 || status === 429;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
