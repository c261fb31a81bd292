import { envDefaults } from './env.js';
import { apiError, safeJson } from './errors.js';
import { type Connection, type StreamOptions, streamEvents } from './event-stream.js';
import type { operations } from './schema.gen.js';
import type {
  AegisEvent,
  AnalyticsCosts,
  AnalyticsRateLimits,
  AnalyticsSummary,
  AnalyticsTokens,
  AnswerQuestionRequest,
  AnswerQuestionResponse,
  ApiKey,
  ApiKeySecret,
  AuditPage,
  BatchCreateRequest,
  BatchCreateResponse,
  BatchDeleteResponse,
  ChannelList,
  ChannelTestResult,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreatePipelineRequest,
  CreateRoutineRequest,
  CreateSessionRequest,
  CreateSessionResponse,
  DiagnosticsResponse,
  DiscoverCommandsResponse,
  EscapeResponse,
  HandshakeRequest,
  HandshakeResponse,
  HealthResponse,
  InterruptResponse,
  MemoryEntry,
  MemoryList,
  NodesResponse,
  OidcSettings,
  PermissionAnswerRequest,
  PermissionAnswerResponse,
  PermissionMode,
  Person,
  Pipeline,
  PipelineList,
  PolicyList,
  PolicyRule,
  ReadResponse,
  Routine,
  RoutineList,
  RoutinePreview,
  RoutineRun,
  RoutineRunList,
  SendResponse,
  Session,
  SessionDetail,
  SessionHealth,
  SessionLatency,
  SessionList,
  SessionMetrics,
  SessionSummary,
  SetMemoryRequest,
  SseToken,
  Template,
  TemplateInput,
  TemplateList,
  TranscriptPage,
  UpdateRoutineRequest,
  UpdateSessionRequest,
  UsageReport,
  Whoami,
} from './types.js';

export { AegisApiError } from './errors.js';
export type { StreamOptions } from './event-stream.js';
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
    const env = envDefaults();
    this.baseUrl = (options.baseUrl ?? env.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#token = options.token ?? env.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #request<T>(
    method: string,
    path: string,
    opts: {
      body?: unknown;
      query?: object;
      call?: CallOptions | undefined;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
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
  /** A follow-up prompt: `sendMessage(id, { text })`, or `sendMessage(id, 'text')` as the earlier documents show. */
  sendMessage(id: string, body: { text: string } | string, call?: CallOptions): Promise<SendResponse> {
    const text = typeof body === 'string' ? { text: body } : body;
    return this.#request('POST', `/v1/sessions/${enc(id)}/send`, { body: text, call });
  }
  /** @deprecated The earlier documents' alias of {@link sendMessage} (`POST …/input`). */
  sendInput(id: string, body: { text: string }, call?: CallOptions): Promise<SendResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/input`, { body, call });
  }
  /** @deprecated The earlier documents' alias of {@link sendMessage} (`POST …/prompt`). */
  sendPrompt(id: string, body: { text: string }, call?: CallOptions): Promise<SendResponse> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/prompt`, { body, call });
  }
  /** @deprecated Tmux-era pane capture: the server always answers 501 NOT_IMPLEMENTED (read the transcript instead). */
  capturePane(id: string): Promise<never> {
    return this.#request('GET', `/v1/sessions/${enc(id)}/pane`);
  }
  /** @deprecated Tmux-era screenshots: the server always answers 501 NOT_IMPLEMENTED. */
  takeScreenshot(id: string): Promise<never> {
    return this.#request('POST', `/v1/sessions/${enc(id)}/screenshot`);
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
  /** Changes the session's budget (operator or admin); a session stopped by its budget goes on once it allows. */
  updateSession(id: string, body: UpdateSessionRequest): Promise<Session> {
    return this.#request('PATCH', `/v1/sessions/${enc(id)}`, { body });
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
  /** @deprecated The earlier documents' `POST /v1/memory { key, value }`; prefer {@link setMemory}. */
  setMemoryEntry(body: SetMemoryRequest & { key: string }): Promise<MemoryEntry> {
    return this.#request('POST', '/v1/memory', { body });
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

  /** Usage and cost from the ledger, grouped (`groupBy`: day, key, template, model, session, workDir). */
  getUsage(query: Omit<Query<'getUsage'>, 'format'> = {}): Promise<UsageReport> {
    return this.#request('GET', '/v1/usage', { query });
  }
  /** The same groups as CSV text. */
  async exportUsage(query: Omit<Query<'getUsage'>, 'format'> = {}): Promise<string> {
    const url = new URL(`${this.baseUrl}/v1/usage`);
    for (const [k, v] of Object.entries({ ...query, format: 'csv' }))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const res = await this.#fetch(url, {
      headers: this.#token ? { authorization: `Bearer ${this.#token}` } : {},
    });
    const text = await res.text();
    if (!res.ok) throw apiError(res, text);
    return text;
  }
  getAnalyticsSummary(query: Query<'getAnalyticsSummary'> = {}): Promise<AnalyticsSummary> {
    return this.#request('GET', '/v1/analytics/summary', { query });
  }
  getAnalyticsCosts(query: Query<'getAnalyticsCosts'> = {}): Promise<AnalyticsCosts> {
    return this.#request('GET', '/v1/analytics/costs', { query });
  }
  getAnalyticsTokens(query: Query<'getAnalyticsTokens'> = {}): Promise<AnalyticsTokens> {
    return this.#request('GET', '/v1/analytics/tokens', { query });
  }
  getAnalyticsRateLimits(): Promise<AnalyticsRateLimits> {
    return this.#request('GET', '/v1/analytics/rate-limits');
  }
  /** A session, template session or pipeline started on a schedule (cron, interval or one-off). */
  createRoutine(body: CreateRoutineRequest): Promise<Routine> {
    return this.#request('POST', '/v1/routines', { body });
  }
  listRoutines(query: Query<'listRoutines'> = {}): Promise<RoutineList> {
    return this.#request('GET', '/v1/routines', { query });
  }
  getRoutine(id: string): Promise<Routine> {
    return this.#request('GET', `/v1/routines/${enc(id)}`);
  }
  /** Changes the given fields; a new schedule, time zone or `enabled` recomputes the next due time. */
  updateRoutine(id: string, body: UpdateRoutineRequest): Promise<Routine> {
    return this.#request('PATCH', `/v1/routines/${enc(id)}`, { body });
  }
  deleteRoutine(id: string): Promise<Routine> {
    return this.#request('DELETE', `/v1/routines/${enc(id)}`);
  }
  pauseRoutine(id: string): Promise<Routine> {
    return this.#request('POST', `/v1/routines/${enc(id)}/pause`);
  }
  resumeRoutine(id: string): Promise<Routine> {
    return this.#request('POST', `/v1/routines/${enc(id)}/resume`);
  }
  /** Starts the routine's target now; the run says what it started or why it failed. */
  runRoutine(id: string): Promise<RoutineRun> {
    return this.#request('POST', `/v1/routines/${enc(id)}/run`);
  }
  listRoutineRuns(id: string, query: Query<'listRoutineRuns'> = {}): Promise<RoutineRunList> {
    return this.#request('GET', `/v1/routines/${enc(id)}/runs`, { query });
  }
  /** The next due times of a schedule (default 10), e.g. to check a cron expression. */
  previewRoutineSchedule(query: Query<'previewRoutineSchedule'>): Promise<RoutinePreview> {
    return this.#request('GET', '/v1/routines/preview', { query });
  }

  handshake(body: HandshakeRequest): Promise<HandshakeResponse> {
    return this.#request('POST', '/v1/handshake', { body });
  }
  getDiagnostics(): Promise<DiagnosticsResponse> {
    return this.#request('GET', '/v1/diagnostics');
  }
  /** The nodes sharing the server's PostgreSQL database: health, state and load (empty on a single server). */
  listNodes(): Promise<NodesResponse> {
    return this.#request('GET', '/v1/nodes');
  }
  /** Telegram, Slack and email: configured or not, state, last error, queue depth. */
  listChannels(): Promise<ChannelList> {
    return this.#request('GET', '/v1/channels');
  }
  /** Sends a test message through one channel (`telegram`, `slack`, `email`) now. */
  testChannel(name: string): Promise<ChannelTestResult> {
    return this.#request('POST', `/v1/channels/${enc(name)}/test`);
  }
  /** Telegram webhook mode's endpoint (Telegram calls it, with its secret token header). */
  telegramWebhook(update: Record<string, unknown>, secretToken: string): Promise<{ ok: boolean }> {
    return this.#request('POST', '/v1/channels/telegram/webhook', {
      body: update,
      headers: { 'x-telegram-bot-api-secret-token': secretToken },
    });
  }
  /**
   * Slack's interactivity endpoint (Slack calls it with a signed form body); not useful to call
   * yourself: the request must carry Slack's signature. Here for completeness.
   */
  slackInteractivity(): Promise<{ ok: boolean }> {
    return this.#request('POST', '/v1/channels/slack/interactivity');
  }
  /** The same text as {@link getMetrics}, from `GET /v1/metrics`. */
  getMetricsV1(): Promise<string> {
    return this.#metrics('/v1/metrics');
  }
  /** Prometheus text exposition of the server's metrics. */
  getMetrics(): Promise<string> {
    return this.#metrics('/metrics');
  }
  async #metrics(path: string): Promise<string> {
    const res = await this.#fetch(new URL(`${this.baseUrl}${path}`), {
      headers: this.#token ? { authorization: `Bearer ${this.#token}` } : {},
    });
    const text = await res.text();
    if (!res.ok) throw apiError(res, text);
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
  /** How to sign in with the identity provider (public; `enabled: false` without OIDC). */
  getOidcSettings(): Promise<OidcSettings> {
    return this.#request('GET', '/v1/auth/oidc');
  }
  /** Who this client is to the server: identity, role and when its credential expires. */
  getWhoami(): Promise<Whoami> {
    return this.#request('GET', '/v1/auth/whoami');
  }
  /** People who signed in through the identity provider (admin): owner ids to names. */
  listPeople(): Promise<{ people: Person[] }> {
    return this.#request('GET', '/v1/auth/people');
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
    if (!res.ok) throw apiError(res, text);
    return text;
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
