// Generated from openapi.json by scripts/gen.mjs (scripts/gen-client.mjs) — do not edit.
import type { CallOptions, RequestOptions } from './request-options.js';
import type { operations } from './schema.gen.js';

type Op = keyof operations;
type Query<O extends Op> = operations[O] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Body<O extends Op> = operations[O] extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: { 'application/json': infer T } }
    ? T
    : never
  : never;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<O extends Op, Code extends number> = Json<operations[O]['responses'][Code & keyof operations[O]['responses']]>;

const enc = encodeURIComponent;

/** The API's operations, one method each (named by `operationId`). */
export abstract class AegisOperations {
  protected abstract request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /**
   * Server health.
   *
   * Public. Without credentials the answer is only `{ "status": "ok" }`; with a valid key (or as the local user in zero-config mode) it adds version, uptime, session counts and agent availability.
   */
  getHealth(): Promise<Ok<'getHealth', 200>> {
    return this.request('GET', '/v1/health');
  }
  /**
   * Nodes of the cluster, their health and load.
   *
   * Every Aegis server sharing this PostgreSQL database, with its heartbeat, state (`draining` on SIGTERM, `gone` after a clean stop) and load. A node that has not heartbeated within the lease is `alive: false`; its sessions are adopted by the others. On a single server (SQLite) the list is empty and `clustered` false.
   */
  listNodes(): Promise<Ok<'listNodes', 200>> {
    return this.request('GET', '/v1/nodes');
  }
  /**
   * Create up to 50 sessions at once.
   *
   * Starts every session concurrently, each exactly as `POST /v1/sessions` would (templates, reuse of idle sessions, prompt delivery). Always 200 once the request is valid: each item of `results` (in request order) says whether it succeeded, with the session, or failed, with the error a single create would have answered. A malformed body is a 400 for the whole batch.
   */
  batchCreateSessions(body: Body<'batchCreateSessions'>, call?: CallOptions): Promise<Ok<'batchCreateSessions', 200>> {
    return this.request('POST', '/v1/sessions/batch', { body, call });
  }
  /**
   * Kill up to 50 sessions at once.
   *
   * Kills each session as `DELETE /v1/sessions/{id}` would; sessions stay in the store for audit. Always 200 once the request is valid, with a per-item outcome in request order.
   */
  batchDeleteSessions(body: Body<'batchDeleteSessions'>): Promise<Ok<'batchDeleteSessions', 200>> {
    return this.request('DELETE', '/v1/sessions/batch', { body });
  }
  /**
   * List sessions, newest first.
   */
  listSessions(query: Query<'listSessions'> = {}): Promise<Ok<'listSessions', 200>> {
    return this.request('GET', '/v1/sessions', { query });
  }
  /**
   * Create a session (or reuse an idle one in the same workDir).
   *
   * Starts an agent in `workDir` and answers once it is ready. If an idle session of the same owner already works in that directory it is reused (200, `reused: true`) and the prompt goes to it — unless the request says `reuse: false`, or the request names another `agent`, `model`, `permissionMode` or `parentId` than that session has, or brings its own `env` or `policies`; otherwise a new session is created (201). Working, waiting, stalled and ended sessions are never reused. `promptDelivery` says whether the prompt reached the agent or is queued.
   */
  createSession(body: Body<'createSession'>, call?: CallOptions): Promise<Ok<'createSession', 200> | Ok<'createSession', 201>> {
    return this.request('POST', '/v1/sessions', { body, call });
  }
  /**
   * Get a session, with its pending permission or question and what you can do next.
   *
   * The session, including `pendingPermission` / `pendingQuestion` while it waits, plus `actions` (the operations that make sense now and that your role may call, e.g. `approve`, `reject`, `escape` while `permission_prompt`; `answer` while `asking`) and `hints` (the same next steps in words, as API calls).
   */
  getSession(id: string): Promise<Ok<'getSession', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}`);
  }
  /**
   * Change a session's budget.
   *
   * Replaces the session's `budget` (recorded as `budget.updated`, and audited). A session stopped by its budget (`budgetStatus.exceeded`, prompts refused with 429 `BUDGET_EXCEEDED`) takes prompts again once the new budget allows what it has used.
   */
  updateSession(id: string, body: Body<'updateSession'>): Promise<Ok<'updateSession', 200>> {
    return this.request('PATCH', `/v1/sessions/${enc(id)}`, { body });
  }
  /**
   * Kill a session (stops its agent; the session is kept for audit).
   */
  killSession(id: string): Promise<Ok<'killSession', 200>> {
    return this.request('DELETE', `/v1/sessions/${enc(id)}`);
  }
  /**
   * Approve the pending permission request.
   *
   * Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`, which must be of the same direction (an allow option for approve, a reject option for reject; otherwise 400). 409 NOTHING_PENDING when no request is waiting.
   */
  approvePermission(id: string, body: Body<'approvePermission'> = {}, call?: CallOptions): Promise<Ok<'approvePermission', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/approve`, { body, call });
  }
  /**
   * Reject the pending permission request.
   *
   * Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`, which must be of the same direction (an allow option for approve, a reject option for reject; otherwise 400). 409 NOTHING_PENDING when no request is waiting.
   */
  rejectPermission(id: string, body: Body<'rejectPermission'> = {}, call?: CallOptions): Promise<Ok<'rejectPermission', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/reject`, { body, call });
  }
  /**
   * Cancel the running turn.
   *
   * Sends session/cancel to the agent, answers open permission requests as cancelled and drops queued prompts. The turn ends with stopReason `cancelled` and the session returns to idle.
   */
  interruptSession(id: string): Promise<Ok<'interruptSession', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/interrupt`);
  }
  /**
   * Switch the agent's permission mode.
   */
  setMode(id: string, body: Body<'setMode'>): Promise<Ok<'setMode', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/mode`, { body });
  }
  /**
   * Read the transcript incrementally.
   *
   * Returns transcript entries newer than `cursor` (a value you hold; pass back the returned `cursor`), with the session status. Each client keeps its own cursor, so readers never steal each other's messages.
   */
  readSession(id: string, query: Query<'readSession'> = {}): Promise<Ok<'readSession', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/read`, { query });
  }
  /**
   * Page the transcript backwards with stable ids.
   */
  getTranscriptPage(id: string, query: Query<'getTranscriptPage'> = {}): Promise<Ok<'getTranscriptPage', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/transcript/cursor`, { query });
  }
  /**
   * Usage and cost from the ledger, grouped.
   *
   * One ledger row is kept per finished turn: input, output and cache tokens, cost (the agent's own figure when it reports one, else tokens × the model's price in the server's `usage.prices`; `null` cost counts as 0), time and tool calls, with the session's key, template, model and workDir. This sums them over UTC days `from`..`to` (at most 366 days), grouped by `groupBy`. Admins see every key; other roles see their own sessions' turns. `format=csv` (or `Accept: text/csv`) answers CSV.
   */
  getUsage(query: Omit<Query<'getUsage'>, 'format'> = {}): Promise<Ok<'getUsage', 200>> {
    return this.request('GET', '/v1/usage', { query });
  }
  /**
   * Sessions, tokens and costs over a range, with daily trends.
   *
   * From the usage ledger: how many sessions ran turns, the summed tokens, cost, time and tool calls, and the same per UTC day. Default range: the last 30 days. Non-admins see their own sessions.
   */
  getAnalyticsSummary(query: Query<'getAnalyticsSummary'> = {}): Promise<Ok<'getAnalyticsSummary', 200>> {
    return this.request('GET', '/v1/analytics/summary', { query });
  }
  /**
   * Costs per model and per day.
   */
  getAnalyticsCosts(query: Query<'getAnalyticsCosts'> = {}): Promise<Ok<'getAnalyticsCosts', 200>> {
    return this.request('GET', '/v1/analytics/costs', { query });
  }
  /**
   * Tokens per model.
   */
  getAnalyticsTokens(query: Query<'getAnalyticsTokens'> = {}): Promise<Ok<'getAnalyticsTokens', 200>> {
    return this.request('GET', '/v1/analytics/tokens', { query });
  }
  /**
   * Your key's daily quota use and a forecast for today.
   *
   * Today's use of the calling key against its daily budget (`usage.keyBudgets` / `usage.keyBudget` in the server config), the fraction of each limit used, a linear forecast to the end of the UTC day, and how many of your sessions are rate-limited by the model provider now.
   */
  getAnalyticsRateLimits(): Promise<Ok<'getAnalyticsRateLimits', 200>> {
    return this.request('GET', '/v1/analytics/rate-limits');
  }
  /**
   * List templates: the built-ins, then yours.
   *
   * Built-ins (`code-reviewer`, `ci-runner`, `pr-reviewer`, `docs-writer`) come first, then your templates by name (admins see every owner's). A viewer sees each `env` name with its value redacted.
   */
  listTemplates(): Promise<Ok<'listTemplates', 200>> {
    return this.request('GET', '/v1/templates');
  }
  /**
   * Create a template (a reusable session spec).
   *
   * The prompt may contain `{{name}}` placeholders (or `{{name|default}}`), filled from `variables` when a session is created with `templateId`. Names are unique per owner and may not be a built-in's (409).
   */
  createTemplate(body: Body<'createTemplate'>): Promise<Ok<'createTemplate', 201>> {
    return this.request('POST', '/v1/templates', { body });
  }
  /**
   * Get a template.
   *
   * A viewer sees each `env` name with its value redacted (values can be credentials).
   */
  getTemplate(id: string): Promise<Ok<'getTemplate', 200>> {
    return this.request('GET', `/v1/templates/${enc(id)}`);
  }
  /**
   * Replace a template.
   *
   * Replaces every editable field (omitted fields are cleared). Built-ins cannot be edited (403).
   */
  updateTemplate(id: string, body: Body<'updateTemplate'>): Promise<Ok<'updateTemplate', 200>> {
    return this.request('PUT', `/v1/templates/${enc(id)}`, { body });
  }
  /**
   * Delete a template.
   *
   * Built-ins cannot be deleted (403). Sessions created from the template are unaffected.
   */
  deleteTemplate(id: string): Promise<Ok<'deleteTemplate', 200>> {
    return this.request('DELETE', `/v1/templates/${enc(id)}`);
  }
  /**
   * Get a memory entry.
   */
  getMemory(key: string): Promise<Ok<'getMemory', 200>> {
    return this.request('GET', `/v1/memory/${enc(key)}`);
  }
  /**
   * Set a memory entry.
   *
   * Creates or replaces the entry. Memory is shared by every session and caller of this server (use key prefixes such as `project/x:` to keep things apart). Expired entries are never returned.
   */
  setMemory(key: string, body: Body<'setMemory'>): Promise<Ok<'setMemory', 200>> {
    return this.request('PUT', `/v1/memory/${enc(key)}`, { body });
  }
  /**
   * Delete a memory entry.
   */
  deleteMemory(key: string): Promise<Ok<'deleteMemory', 200>> {
    return this.request('DELETE', `/v1/memory/${enc(key)}`);
  }
  /**
   * List memory entries by key prefix.
   */
  listMemory(query: Query<'listMemory'> = {}): Promise<Ok<'listMemory', 200>> {
    return this.request('GET', '/v1/memory', { query });
  }
  /**
   * Set a memory entry, the key in the body (documented alias of PUT /v1/memory/{key}).
   *
   * The same as `PUT /v1/memory/{key}` with `{ "value", "ttlSec"? }`, for the earlier Aegis documents' `POST /v1/memory { "key", "value" }`. Prefer the PUT.
   *
   * @deprecated
   */
  setMemoryEntry(body: Body<'setMemoryEntry'>): Promise<Ok<'setMemoryEntry', 200>> {
    return this.request('POST', '/v1/memory', { body });
  }
  /**
   * List your pipelines, newest first.
   */
  listPipelines(query: Query<'listPipelines'> = {}): Promise<Ok<'listPipelines', 200>> {
    return this.request('GET', '/v1/pipelines', { query });
  }
  /**
   * Start a pipeline of session stages.
   *
   * Each stage runs in a new session once every stage in its `dependsOn` has completed. A stage completes when its session's first turn ends normally; a failed or cancelled turn, or a session that ends first, fails the stage and skips every stage that depends on it. The pipeline is `completed` when all stages completed, `failed` when any failed. Stage names must be unique, `dependsOn` must name stages of the pipeline and must not form a cycle (400). Each stage needs a prompt (its own or its template's), and its workDir must be one sessions may use (checked at create: 400 WORKDIR_DENIED naming the stage).
   */
  createPipeline(body: Body<'createPipeline'>, call?: CallOptions): Promise<Ok<'createPipeline', 201>> {
    return this.request('POST', '/v1/pipelines', { body, call });
  }
  /**
   * Get a pipeline and each stage's status.
   */
  getPipeline(id: string): Promise<Ok<'getPipeline', 200>> {
    return this.request('GET', `/v1/pipelines/${enc(id)}`);
  }
  /**
   * List your routines by name (admins: every owner's).
   */
  listRoutines(query: Query<'listRoutines'> = {}): Promise<Ok<'listRoutines', 200>> {
    return this.request('GET', '/v1/routines', { query });
  }
  /**
   * Create a routine: a session, template session or pipeline started on a schedule.
   *
   * Fires once per due time, across restarts and across servers sharing a database. 400 (naming the field) for an invalid cron expression, an unknown time zone, a schedule with no future due time, or a target template that does not exist. Runs act as the routine's owner: a revoked key's routines fail their runs, and the session caps apply at each fire.
   */
  createRoutine(body: Body<'createRoutine'>): Promise<Ok<'createRoutine', 201>> {
    return this.request('POST', '/v1/routines', { body });
  }
  /**
   * The next due times of a schedule (default 10).
   */
  previewRoutineSchedule(query: Query<'previewRoutineSchedule'>): Promise<Ok<'previewRoutineSchedule', 200>> {
    return this.request('GET', '/v1/routines/preview', { query });
  }
  /**
   * Get a routine.
   */
  getRoutine(id: string): Promise<Ok<'getRoutine', 200>> {
    return this.request('GET', `/v1/routines/${enc(id)}`);
  }
  /**
   * Change some fields of a routine.
   *
   * Fields left out keep their value. A new schedule, time zone or `enabled` recomputes the next due time from now (nothing is caught up).
   */
  updateRoutine(id: string, body: Body<'updateRoutine'>): Promise<Ok<'updateRoutine', 200>> {
    return this.request('PATCH', `/v1/routines/${enc(id)}`, { body });
  }
  /**
   * Delete a routine and its run history (sessions it started are kept).
   */
  deleteRoutine(id: string): Promise<Ok<'deleteRoutine', 200>> {
    return this.request('DELETE', `/v1/routines/${enc(id)}`);
  }
  /**
   * Pause a routine (runs already going go on).
   */
  pauseRoutine(id: string): Promise<Ok<'pauseRoutine', 200>> {
    return this.request('POST', `/v1/routines/${enc(id)}/pause`);
  }
  /**
   * Resume a routine from its next due time after now (nothing missed while paused is fired).
   */
  resumeRoutine(id: string): Promise<Ok<'resumeRoutine', 200>> {
    return this.request('POST', `/v1/routines/${enc(id)}/resume`);
  }
  /**
   * Run a routine now, outside its schedule (paused or not).
   *
   * Answers once the target has started, or failed to: the run says which session or pipeline it started, or why it failed.
   */
  runRoutine(id: string): Promise<Ok<'runRoutine', 201>> {
    return this.request('POST', `/v1/routines/${enc(id)}/run`);
  }
  /**
   * A routine's runs, newest due time first.
   */
  listRoutineRuns(id: string, query: Query<'listRoutineRuns'> = {}): Promise<Ok<'listRoutineRuns', 200>> {
    return this.request('GET', `/v1/routines/${enc(id)}/runs`, { query });
  }
  /**
   * Session health: agent alive, last activity, idle/stalled time, what to do next.
   *
   * `hints` name the API call that moves the session on, e.g. "waiting for approval — POST …/approve".
   */
  getSessionHealth(id: string): Promise<Ok<'getSessionHealth', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/health`);
  }
  /**
   * What the session did: turns, tool calls by status, files touched, permission decisions, last message, usage.
   */
  getSessionSummary(id: string): Promise<Ok<'getSessionSummary', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/summary`);
  }
  /**
   * Session metrics: event counts by type, tokens, cost, turn durations.
   */
  getSessionMetrics(id: string): Promise<Ok<'getSessionMetrics', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/metrics`);
  }
  /**
   * Latency percentiles (p50/p95/max): turns, time to first token, permission and question waits.
   */
  getSessionLatency(id: string): Promise<Ok<'getSessionLatency', 200>> {
    return this.request('GET', `/v1/sessions/${enc(id)}/latency`);
  }
  /**
   * Answer the question the agent asked (state `asking`).
   *
   * Claude Code's AskUserQuestion reaches Aegis as a form elicitation; the session waits in `asking` with `pendingQuestion`. Send `answer` for the first question or `answers` by question id. An option may be given by value or label; free text is accepted where the question allows a custom answer. 409 NOTHING_PENDING when no question waits.
   */
  answerQuestion(id: string, body: Body<'answerQuestion'>): Promise<Ok<'answerQuestion', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/answer`, { body });
  }
  /**
   * Dismiss the pending question or permission request without cancelling the turn.
   *
   * A pending question is declined (the agent is told the user skipped it); otherwise the pending permission request is rejected (reject_once) so the agent continues without the tool. Use `interrupt` to cancel the turn instead. 409 NOTHING_PENDING when nothing waits.
   */
  escapeSession(id: string): Promise<Ok<'escapeSession', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/escape`);
  }
  /**
   * The agent's slash commands.
   *
   * The commands the agent announced with `available_commands_update`, kept on the session as `availableCommands`. Waits up to 3 s for a live agent that has not announced them yet. Send one with `POST …/send { "text": "/name args" }`.
   */
  discoverCommands(id: string): Promise<Ok<'discoverCommands', 200>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/discover-commands`);
  }
  /**
   * Notification channels and their health.
   *
   * Telegram, Slack and email: whether each is configured, its state, the last error, and its outbox (messages waiting, sent, failed, unconfirmed). See docs/channels.md.
   */
  listChannels(): Promise<Ok<'listChannels', 200>> {
    return this.request('GET', '/v1/channels');
  }
  /**
   * Send a test message through a channel.
   *
   * Sends one message now (not through the outbox) and says whether it was delivered. 404 `CHANNEL_NOT_FOUND` for an unknown name, 409 `CHANNEL_NOT_CONFIGURED` for a channel that is not set up.
   */
  testChannel(name: string): Promise<Ok<'testChannel', 200>> {
    return this.request('POST', `/v1/channels/${enc(name)}/test`);
  }
  /**
   * Slack button presses (interactivity).
   *
   * The Request URL of the Slack app's interactivity. Public, but every request must carry Slack's signature (`X-Slack-Signature`, HMAC-SHA256 with the app's signing secret) and a timestamp (`X-Slack-Request-Timestamp`) within 5 minutes: anything else is 401.
   */
  slackInteractivity(): Promise<Ok<'slackInteractivity', 200>> {
    return this.request('POST', '/v1/channels/slack/interactivity');
  }
  /**
   * Server-wide permission policy rules.
   *
   * A permission request is decided by the first matching rule of the session (`policies` at create), then of the server; `ask` (or no match) hands it to a human. Each decision records `decidedBy: { type: "policy", rule }`.
   */
  getPermissionPolicies(): Promise<Ok<'getPermissionPolicies', 200>> {
    return this.request('GET', '/v1/policies');
  }
  /**
   * Replace the server-wide permission policy rules.
   *
   * A permission request is decided by the first matching rule of the session (`policies` at create), then of the server; `ask` (or no match) hands it to a human. Each decision records `decidedBy: { type: "policy", rule }`. Takes effect for the next permission request; not persisted across restarts (put lasting rules in the config file's `policies`).
   */
  setPermissionPolicies(body: Body<'setPermissionPolicies'>): Promise<Ok<'setPermissionPolicies', 200>> {
    return this.request('PUT', '/v1/policies', { body });
  }
  /**
   * Negotiate protocol version and capabilities.
   *
   * Send your protocol version and the capabilities you use. The answer lists the intersection and a warning for each capability the server does not know (and one when the client speaks a newer protocol than the server). 409 CONFLICT when `protocolVersion` is below 1; upgrade the client.
   */
  handshake(body: Body<'handshake'>): Promise<Ok<'handshake', 200>> {
    return this.request('POST', '/v1/handshake', { body });
  }
  /**
   * Runtime, storage, sessions, agent availability and configuration (no secrets).
   */
  getDiagnostics(): Promise<Ok<'getDiagnostics', 200>> {
    return this.request('GET', '/v1/diagnostics');
  }
  /**
   * Send a follow-up prompt (documented alias of /send).
   *
   * The same as `POST /v1/sessions/{id}/send` (body `{ "text" }`, same answer), kept because the earlier Aegis documents name `/input`. Prefer `/send`.
   *
   * @deprecated
   */
  sendInput(id: string, body: Body<'sendInput'>, call?: CallOptions): Promise<Ok<'sendInput', 202>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/input`, { body, call });
  }
  /**
   * Send a follow-up prompt (documented alias of /send).
   *
   * The same as `POST /v1/sessions/{id}/send` (body `{ "text" }`, same answer), kept because the earlier Aegis documents name `/prompt`. Prefer `/send`.
   *
   * @deprecated
   */
  sendPrompt(id: string, body: Body<'sendPrompt'>, call?: CallOptions): Promise<Ok<'sendPrompt', 202>> {
    return this.request('POST', `/v1/sessions/${enc(id)}/prompt`, { body, call });
  }
  /**
   * Raw terminal capture (tmux era): not supported, always 501.
   *
   * There is no terminal pane: this server runs the agent over the Agent Client Protocol (JSON-RPC on stdio), not in tmux, so there is nothing to capture. Read the parsed transcript with GET /v1/sessions/{id}/read (or …/transcript/cursor), follow live output on GET /v1/sessions/{id}/events, and see the state and next steps on GET /v1/sessions/{id}.
   *
   * @deprecated
   */
  capturePane(id: string): Promise<never> {
    return this.request('GET', `/v1/sessions/${enc(id)}/pane`);
  }
  /**
   * Screenshot a URL (tmux era): not supported, always 501.
   *
   * Screenshots are not supported by this server: they belonged to the tmux-era Aegis (Playwright beside the terminal). Ask the agent to take one with its own tools (e.g. a Playwright MCP server) through POST /v1/sessions/{id}/send.
   *
   * @deprecated
   */
  takeScreenshot(id: string): Promise<never> {
    return this.request('POST', `/v1/sessions/${enc(id)}/screenshot`);
  }
  /**
   * List API keys (never their secrets).
   */
  listApiKeys(): Promise<Ok<'listApiKeys', 200>> {
    return this.request('GET', '/v1/auth/keys');
  }
  /**
   * Create an API key (the secret is returned once).
   *
   * While no active key exists, a server on loopback without AEGIS_AUTH_TOKEN lets requests without credentials act as the local admin (zero-config). The first key ends that: from then on every request needs a key. So the first key is `admin` (the default then); asking for another role is refused with 409 `CONFLICT`. The response says so (`localAccessEnded`, `notice`). Later keys default to `operator`.
   */
  createApiKey(body: Body<'createApiKey'>): Promise<Ok<'createApiKey', 201>> {
    return this.request('POST', '/v1/auth/keys', { body });
  }
  /**
   * Revoke an API key (at once, including a rotated secret in its grace period).
   *
   * The key stops working at once, including a rotated secret in its grace period. Its open event streams are closed, the unused event-stream tokens it minted stop working, and its running pipelines start no more stages (they fail, saying the key was revoked). Sessions it started keep running; kill them if they must stop.
   */
  revokeApiKey(id: string): Promise<Ok<'revokeApiKey', 200>> {
    return this.request('DELETE', `/v1/auth/keys/${enc(id)}`);
  }
  /**
   * Give a key a new secret; the old one works for a grace period.
   *
   * The key keeps its id, role and sessions. The previous secret stays valid for `gracePeriodSeconds` (default 3600) so clients can switch over. With `gracePeriodSeconds: 0` the old secret stops at once, and so does everything opened with it: the key's open event streams are closed, its unused event-stream tokens stop working, and its running pipelines start no more stages.
   */
  rotateApiKey(id: string, body: Body<'rotateApiKey'> = {}): Promise<Ok<'rotateApiKey', 200>> {
    return this.request('POST', `/v1/auth/keys/${enc(id)}/rotate`, { body });
  }
  /**
   * Mint a short-lived, single-use token for an event stream.
   *
   * For `EventSource`, which cannot send headers: open `/v1/sessions/{id}/events?token=…` (or `/v1/events?token=…`) within the token's lifetime (default 60 s). The token acts as the key that minted it, works once, only on the event streams, and only for `sessionId` when given.
   */
  createSseToken(body: Body<'createSseToken'> = {}): Promise<Ok<'createSseToken', 201>> {
    return this.request('POST', '/v1/auth/sse-token', { body });
  }
  /**
   * Query, export or verify the audit log.
   *
   * Records oldest first, filtered by actor, action, session and time. A page holds at most `limit` records and about `maxBytes` bytes (1 MiB by default); `nextAfter` (also the `X-Next-After` header, for every format) says where the next page starts. `format=csv` or `format=ndjson` exports the same page as text. `verify=true` walks the whole hash chain (ignoring filters), checks that ids have no gaps and that the chain ends at its stored head, and reports the first record that does not hold.
   */
  queryAudit(query: Omit<Query<'queryAudit'>, 'format'> = {}): Promise<Ok<'queryAudit', 200>> {
    return this.request('GET', '/v1/audit', { query });
  }
  /**
   * How to sign in with the identity provider (OIDC).
   *
   * Public: what `ag login` and the dashboard need to start a sign-in. `enabled: false` when OIDC is not configured.
   */
  getOidcSettings(): Promise<Ok<'getOidcSettings', 200>> {
    return this.request('GET', '/v1/auth/oidc');
  }
  /**
   * Who the caller is: identity, role and when the credential expires.
   */
  getWhoami(): Promise<Ok<'getWhoami', 200>> {
    return this.request('GET', '/v1/auth/whoami');
  }
  /**
   * People who signed in through the identity provider since the server started.
   *
   * Maps owner ids (`oidc:<subject>`) of sessions, keys and audit records to names and emails.
   */
  listPeople(): Promise<Ok<'listPeople', 200>> {
    return this.request('GET', '/v1/auth/people');
  }
}
