// Generated from openapi.json by scripts/gen.mjs — do not edit.
export interface paths {
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server health
         * @description Public. Without credentials the answer is only `{ "status": "ok" }`; with a valid key (or as the local user in zero-config mode) it adds version, uptime, session counts and agent availability.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Nodes of the cluster, their health and load
         * @description Every Aegis server sharing this PostgreSQL database, with its heartbeat, state (`draining` on SIGTERM, `gone` after a clean stop) and load. A node that has not heartbeated within the lease is `alive: false`; its sessions are adopted by the others. On a single server (SQLite) the list is empty and `clustered` false.
         */
        get: operations["listNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create up to 50 sessions at once
         * @description Starts every session concurrently, each exactly as `POST /v1/sessions` would (templates, reuse of idle sessions, prompt delivery). Always 200 once the request is valid: each item of `results` (in request order) says whether it succeeded, with the session, or failed, with the error a single create would have answered. A malformed body is a 400 for the whole batch.
         */
        post: operations["batchCreateSessions"];
        /**
         * Kill up to 50 sessions at once
         * @description Kills each session as `DELETE /v1/sessions/{id}` would; sessions stay in the store for audit. Always 200 once the request is valid, with a per-item outcome in request order.
         */
        delete: operations["batchDeleteSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions, newest first */
        get: operations["listSessions"];
        put?: never;
        /**
         * Create a session (or reuse an idle one in the same workDir)
         * @description Starts an agent in `workDir` and answers once it is ready. If an idle session of the same owner already works in that directory it is reused (200, `reused: true`) and the prompt goes to it — unless the request says `reuse: false`, or the request names another `agent`, `model`, `permissionMode` or `parentId` than that session has, or brings its own `env` or `policies`; otherwise a new session is created (201). Working, waiting, stalled and ended sessions are never reused. `promptDelivery` says whether the prompt reached the agent or is queued.
         */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a session, with its pending permission or question and what you can do next
         * @description The session, including `pendingPermission` / `pendingQuestion` while it waits, plus `actions` (the operations that make sense now and that your role may call, e.g. `approve`, `reject`, `escape` while `permission_prompt`; `answer` while `asking`) and `hints` (the same next steps in words, as API calls).
         */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /** Kill a session (stops its agent; the session is kept for audit) */
        delete: operations["killSession"];
        options?: never;
        head?: never;
        /**
         * Change a session's budget
         * @description Replaces the session's `budget` (recorded as `budget.updated`, and audited). A session stopped by its budget (`budgetStatus.exceeded`, prompts refused with 429 `BUDGET_EXCEEDED`) takes prompts again once the new budget allows what it has used.
         */
        patch: operations["updateSession"];
        trace?: never;
    };
    "/v1/sessions/{id}/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a follow-up prompt
         * @description When the session is idle the prompt starts a turn at once (`delivered: true`). While a turn runs (or the agent is starting) the prompt is queued and delivered in order when the running turn ends (`queued: true`, `position`). Nothing is dropped silently; `interrupt` drops queued prompts and says how many. A session that has ended answers 409 SESSION_TERMINATED.
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve the pending permission request
         * @description Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`, which must be of the same direction (an allow option for approve, a reject option for reject; otherwise 400). 409 NOTHING_PENDING when no request is waiting.
         */
        post: operations["approvePermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject the pending permission request
         * @description Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`, which must be of the same direction (an allow option for approve, a reject option for reject; otherwise 400). 409 NOTHING_PENDING when no request is waiting.
         */
        post: operations["rejectPermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/interrupt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the running turn
         * @description Sends session/cancel to the agent, answers open permission requests as cancelled and drops queued prompts. The turn ends with stopReason `cancelled` and the session returns to idle.
         */
        post: operations["interruptSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/mode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch the agent's permission mode */
        post: operations["setMode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the transcript incrementally
         * @description Returns transcript entries newer than `cursor` (a value you hold; pass back the returned `cursor`), with the session status. Each client keeps its own cursor, so readers never steal each other's messages.
         */
        get: operations["readSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/transcript/cursor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page the transcript backwards with stable ids */
        get: operations["getTranscriptPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage and cost from the ledger, grouped
         * @description One ledger row is kept per finished turn: input, output and cache tokens, cost (the agent's own figure when it reports one, else tokens × the model's price in the server's `usage.prices`; `null` cost counts as 0), time and tool calls, with the session's key, template, model and workDir. This sums them over UTC days `from`..`to` (at most 366 days), grouped by `groupBy`. Admins see every key; other roles see their own sessions' turns. `format=csv` (or `Accept: text/csv`) answers CSV.
         */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sessions, tokens and costs over a range, with daily trends
         * @description From the usage ledger: how many sessions ran turns, the summed tokens, cost, time and tool calls, and the same per UTC day. Default range: the last 30 days. Non-admins see their own sessions.
         */
        get: operations["getAnalyticsSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Costs per model and per day */
        get: operations["getAnalyticsCosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tokens per model */
        get: operations["getAnalyticsTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/rate-limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your key's daily quota use and a forecast for today
         * @description Today's use of the calling key against its daily budget (`usage.keyBudgets` / `usage.keyBudget` in the server config), the fraction of each limit used, a linear forecast to the end of the UTC day, and how many of your sessions are rate-limited by the model provider now.
         */
        get: operations["getAnalyticsRateLimits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream a session's events (SSE)
         * @description Server-sent events. Each frame's `id` is the event's per-session `seq`. Reconnect with `Last-Event-ID` (or `?after=`) to get every event after it from the durable log, then live events, with no gaps or duplicates. A `: ping` comment is sent periodically to keep idle connections open. Events are sent at the pace the client reads them; a stream whose client takes nothing for `eventStreams.blockedTimeoutMs` (default 30 s) is closed (resume with `Last-Event-ID`), and revoking the key that opened it ends it. One key may hold `eventStreams.perKey` streams open (default 20); one more is answered 429.
         */
        get: operations["streamSessionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream the events of every session (SSE)
         * @description Like the per-session stream (same pacing, limits and 429), but frame ids are the global event `id`.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List templates: the built-ins, then yours
         * @description Built-ins (`code-reviewer`, `ci-runner`, `pr-reviewer`, `docs-writer`) come first, then your templates by name (admins see every owner's). A viewer sees each `env` name with its value redacted.
         */
        get: operations["listTemplates"];
        put?: never;
        /**
         * Create a template (a reusable session spec)
         * @description The prompt may contain `{{name}}` placeholders (or `{{name|default}}`), filled from `variables` when a session is created with `templateId`. Names are unique per owner and may not be a built-in's (409).
         */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a template
         * @description A viewer sees each `env` name with its value redacted (values can be credentials).
         */
        get: operations["getTemplate"];
        /**
         * Replace a template
         * @description Replaces every editable field (omitted fields are cleared). Built-ins cannot be edited (403).
         */
        put: operations["updateTemplate"];
        post?: never;
        /**
         * Delete a template
         * @description Built-ins cannot be deleted (403). Sessions created from the template are unaffected.
         */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/memory/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a memory entry */
        get: operations["getMemory"];
        /**
         * Set a memory entry
         * @description Creates or replaces the entry. Memory is shared by every session and caller of this server (use key prefixes such as `project/x:` to keep things apart). Expired entries are never returned.
         */
        put: operations["setMemory"];
        post?: never;
        /** Delete a memory entry */
        delete: operations["deleteMemory"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/memory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List memory entries by key prefix */
        get: operations["listMemory"];
        put?: never;
        /**
         * Set a memory entry, the key in the body (documented alias of PUT /v1/memory/{key})
         * @deprecated
         * @description The same as `PUT /v1/memory/{key}` with `{ "value", "ttlSec"? }`, for the earlier Aegis documents' `POST /v1/memory { "key", "value" }`. Prefer the PUT.
         */
        post: operations["setMemoryEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your pipelines, newest first */
        get: operations["listPipelines"];
        put?: never;
        /**
         * Start a pipeline of session stages
         * @description Each stage runs in a new session once every stage in its `dependsOn` has completed. A stage completes when its session's first turn ends normally; a failed or cancelled turn, or a session that ends first, fails the stage and skips every stage that depends on it. The pipeline is `completed` when all stages completed, `failed` when any failed. Stage names must be unique, `dependsOn` must name stages of the pipeline and must not form a cycle (400). Each stage needs a prompt (its own or its template's), and its workDir must be one sessions may use (checked at create: 400 WORKDIR_DENIED naming the stage).
         */
        post: operations["createPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a pipeline and each stage's status */
        get: operations["getPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your routines by name (admins: every owner's) */
        get: operations["listRoutines"];
        put?: never;
        /**
         * Create a routine: a session, template session or pipeline started on a schedule
         * @description Fires once per due time, across restarts and across servers sharing a database. 400 (naming the field) for an invalid cron expression, an unknown time zone, a schedule with no future due time, or a target template that does not exist. Runs act as the routine's owner: a revoked key's routines fail their runs, and the session caps apply at each fire.
         */
        post: operations["createRoutine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The next due times of a schedule (default 10) */
        get: operations["previewRoutineSchedule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a routine */
        get: operations["getRoutine"];
        put?: never;
        post?: never;
        /** Delete a routine and its run history (sessions it started are kept) */
        delete: operations["deleteRoutine"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a routine
         * @description Fields left out keep their value. A new schedule, time zone or `enabled` recomputes the next due time from now (nothing is caught up).
         */
        patch: operations["updateRoutine"];
        trace?: never;
    };
    "/v1/routines/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a routine (runs already going go on) */
        post: operations["pauseRoutine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a routine from its next due time after now (nothing missed while paused is fired) */
        post: operations["resumeRoutine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines/{id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a routine now, outside its schedule (paused or not)
         * @description Answers once the target has started, or failed to: the run says which session or pipeline it started, or why it failed.
         */
        post: operations["runRoutine"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/routines/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A routine's runs, newest due time first */
        get: operations["listRoutineRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Session health: agent alive, last activity, idle/stalled time, what to do next
         * @description `hints` name the API call that moves the session on, e.g. "waiting for approval — POST …/approve".
         */
        get: operations["getSessionHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the session did: turns, tool calls by status, files touched, permission decisions, last message, usage */
        get: operations["getSessionSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Session metrics: event counts by type, tokens, cost, turn durations */
        get: operations["getSessionMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/latency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latency percentiles (p50/p95/max): turns, time to first token, permission and question waits */
        get: operations["getSessionLatency"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer the question the agent asked (state `asking`)
         * @description Claude Code's AskUserQuestion reaches Aegis as a form elicitation; the session waits in `asking` with `pendingQuestion`. Send `answer` for the first question or `answers` by question id. An option may be given by value or label; free text is accepted where the question allows a custom answer. 409 NOTHING_PENDING when no question waits.
         */
        post: operations["answerQuestion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/escape": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dismiss the pending question or permission request without cancelling the turn
         * @description A pending question is declined (the agent is told the user skipped it); otherwise the pending permission request is rejected (reject_once) so the agent continues without the tool. Use `interrupt` to cancel the turn instead. 409 NOTHING_PENDING when nothing waits.
         */
        post: operations["escapeSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/discover-commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The agent's slash commands
         * @description The commands the agent announced with `available_commands_update`, kept on the session as `availableCommands`. Waits up to 3 s for a live agent that has not announced them yet. Send one with `POST …/send { "text": "/name args" }`.
         */
        post: operations["discoverCommands"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Notification channels and their health
         * @description Telegram, Slack and email: whether each is configured, its state, the last error, and its outbox (messages waiting, sent, failed, unconfirmed). See docs/channels.md.
         */
        get: operations["listChannels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test message through a channel
         * @description Sends one message now (not through the outbox) and says whether it was delivered. 404 `CHANNEL_NOT_FOUND` for an unknown name, 409 `CHANNEL_NOT_CONFIGURED` for a channel that is not set up.
         */
        post: operations["testChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/telegram/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Telegram updates (webhook mode)
         * @description Where Telegram posts updates when `channels.telegram.mode` is `webhook`. Public, but every request must carry the configured secret in `X-Telegram-Bot-Api-Secret-Token` (401 otherwise).
         */
        post: operations["telegramWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/channels/slack/interactivity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack button presses (interactivity)
         * @description The Request URL of the Slack app's interactivity. Public, but every request must carry Slack's signature (`X-Slack-Signature`, HMAC-SHA256 with the app's signing secret) and a timestamp (`X-Slack-Request-Timestamp`) within 5 minutes: anything else is 401.
         */
        post: operations["slackInteractivity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-wide permission policy rules
         * @description A permission request is decided by the first matching rule of the session (`policies` at create), then of the server; `ask` (or no match) hands it to a human. Each decision records `decidedBy: { type: "policy", rule }`.
         */
        get: operations["getPermissionPolicies"];
        /**
         * Replace the server-wide permission policy rules
         * @description A permission request is decided by the first matching rule of the session (`policies` at create), then of the server; `ask` (or no match) hands it to a human. Each decision records `decidedBy: { type: "policy", rule }`. Takes effect for the next permission request; not persisted across restarts (put lasting rules in the config file's `policies`).
         */
        put: operations["setPermissionPolicies"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/handshake": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Negotiate protocol version and capabilities
         * @description Send your protocol version and the capabilities you use. The answer lists the intersection and a warning for each capability the server does not know (and one when the client speaks a newer protocol than the server). 409 CONFLICT when `protocolVersion` is below 1; upgrade the client.
         */
        post: operations["handshake"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/diagnostics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runtime, storage, sessions, agent availability and configuration (no secrets) */
        get: operations["getDiagnostics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics (text exposition format)
         * @description Series: `aegis_sessions{state}`, `aegis_live_sessions`, `aegis_turns_total{outcome}`, `aegis_turn_duration_seconds`, `aegis_permission_wait_seconds{decided_by}`, `aegis_question_wait_seconds`, `aegis_events_total{type}`, `aegis_http_request_duration_seconds{method,route,status}`, plus the standard `process_*` and `nodejs_*` series (CPU, memory, heap, event-loop lag, file descriptors).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a follow-up prompt (documented alias of /send)
         * @deprecated
         * @description The same as `POST /v1/sessions/{id}/send` (body `{ "text" }`, same answer), kept because the earlier Aegis documents name `/input`. Prefer `/send`.
         */
        post: operations["sendInput"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/prompt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a follow-up prompt (documented alias of /send)
         * @deprecated
         * @description The same as `POST /v1/sessions/{id}/send` (body `{ "text" }`, same answer), kept because the earlier Aegis documents name `/prompt`. Prefer `/send`.
         */
        post: operations["sendPrompt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics (the same as GET /metrics)
         * @description Serves exactly what `GET /metrics` serves; the earlier Aegis documents name this path. Scrape either.
         */
        get: operations["getMetricsV1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/pane": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Raw terminal capture (tmux era): not supported, always 501
         * @deprecated
         * @description There is no terminal pane: this server runs the agent over the Agent Client Protocol (JSON-RPC on stdio), not in tmux, so there is nothing to capture. Read the parsed transcript with GET /v1/sessions/{id}/read (or …/transcript/cursor), follow live output on GET /v1/sessions/{id}/events, and see the state and next steps on GET /v1/sessions/{id}.
         */
        get: operations["capturePane"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/screenshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Screenshot a URL (tmux era): not supported, always 501
         * @deprecated
         * @description Screenshots are not supported by this server: they belonged to the tmux-era Aegis (Playwright beside the terminal). Ask the agent to take one with its own tools (e.g. a Playwright MCP server) through POST /v1/sessions/{id}/send.
         */
        post: operations["takeScreenshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never their secrets) */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key (the secret is returned once)
         * @description While no active key exists, a server on loopback without AEGIS_AUTH_TOKEN lets requests without credentials act as the local admin (zero-config). The first key ends that: from then on every request needs a key. So the first key is `admin` (the default then); asking for another role is refused with 409 `CONFLICT`. The response says so (`localAccessEnded`, `notice`). Later keys default to `operator`.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key (at once, including a rotated secret in its grace period)
         * @description The key stops working at once, including a rotated secret in its grace period. Its open event streams are closed, the unused event-stream tokens it minted stop working, and its running pipelines start no more stages (they fail, saying the key was revoked). Sessions it started keep running; kill them if they must stop.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/keys/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give a key a new secret; the old one works for a grace period
         * @description The key keeps its id, role and sessions. The previous secret stays valid for `gracePeriodSeconds` (default 3600) so clients can switch over. With `gracePeriodSeconds: 0` the old secret stops at once, and so does everything opened with it: the key's open event streams are closed, its unused event-stream tokens stop working, and its running pipelines start no more stages.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/sse-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a short-lived, single-use token for an event stream
         * @description For `EventSource`, which cannot send headers: open `/v1/sessions/{id}/events?token=…` (or `/v1/events?token=…`) within the token's lifetime (default 60 s). The token acts as the key that minted it, works once, only on the event streams, and only for `sessionId` when given.
         */
        post: operations["createSseToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query, export or verify the audit log
         * @description Records oldest first, filtered by actor, action, session and time. A page holds at most `limit` records and about `maxBytes` bytes (1 MiB by default); `nextAfter` (also the `X-Next-After` header, for every format) says where the next page starts. `format=csv` or `format=ndjson` exports the same page as text. `verify=true` walks the whole hash chain (ignoring filters), checks that ids have no gaps and that the chain ends at its stored head, and reports the first record that does not hold.
         */
        get: operations["queryAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/oidc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How to sign in with the identity provider (OIDC)
         * @description Public: what `ag login` and the dashboard need to start a sign-in. `enabled: false` when OIDC is not configured.
         */
        get: operations["getOidcSettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is: identity, role and when the credential expires */
        get: operations["getWhoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * People who signed in through the identity provider since the server started
         * @description Maps owner ids (`oidc:<subject>`) of sessions, keys and audit records to names and emails.
         */
        get: operations["listPeople"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Callers without credentials get only `status`; authenticated callers (and the local user in zero-config mode) also get version, uptime, session counts and agent availability. */
        HealthResponse: {
            /** @enum {string} */
            status: "ok";
            version?: string;
            uptimeSec?: number;
            sessions?: {
                live: number;
                /** @description Stored sessions per state */
                byState?: {
                    pending?: number;
                    idle?: number;
                    working?: number;
                    permission_prompt?: number;
                    asking?: number;
                    stalled?: number;
                    rate_limit?: number;
                    error?: number;
                    completed?: number;
                    killed?: number;
                    crashed?: number;
                };
            };
            agents?: string[];
            /** @description Whether each agent command resolves (null: unknown) */
            agentAvailability?: {
                [key: string]: boolean | null;
            };
        };
        NodesResponse: {
            /** @description Whether this server is a node of a cluster (the PostgreSQL store) */
            clustered: boolean;
            /** @description This node's id */
            self: string | null;
            leaseMs: number | null;
            nodes: components["schemas"]["ClusterNode"][];
            /** @description Sessions not ended that no node owns right now (waiting for adoption) */
            unowned: number;
        };
        ClusterNode: {
            id: string;
            /** @description Where the other nodes reach it */
            address: string;
            /** @enum {string} */
            state: "active" | "draining" | "gone";
            /** @description It heartbeated within the lease */
            alive: boolean;
            /** @description The node that answered this request */
            self: boolean;
            startedAt: string | null;
            heartbeatAt: string;
            heartbeatAgeMs: number;
            /** @description Agent processes it may run at once (maxResidentAgents) */
            capacity: number;
            /** @description Agent processes it runs */
            resident: number;
            /** @description Sessions it owns without an agent process */
            dormant: number;
            /** @description Sessions with a running turn */
            busy: number;
            /** @description Sessions it owns that have not ended */
            sessions: number;
            version: string | null;
        };
        ErrorResponse: {
            error: {
                /** @description Stable UPPER_SNAKE code to branch on */
                code: ("BAD_REQUEST" | "VALIDATION_FAILED" | "WORKDIR_DENIED" | "UNSUPPORTED_MODE" | "UNSUPPORTED_MODEL" | "UNKNOWN_AGENT" | "UNAUTHORIZED" | "FORBIDDEN" | "SESSION_NOT_FOUND" | "NOT_FOUND" | "CHANNEL_NOT_FOUND" | "NOTHING_PENDING" | "INVALID_TRANSITION" | "SESSION_TERMINATED" | "CONFLICT" | "CHANNEL_NOT_CONFIGURED" | "LEASE_LOST" | "SESSION_ELSEWHERE" | "IDEMPOTENCY_IN_PROGRESS" | "PAYLOAD_TOO_LARGE" | "IDEMPOTENCY_KEY_REUSED" | "RATE_LIMITED" | "CAPACITY_EXHAUSTED" | "BUDGET_EXCEEDED" | "INTERNAL" | "NOT_IMPLEMENTED" | "AGENT_PROTOCOL_ERROR" | "AGENT_CRASHED" | "AGENT_AUTH_REQUIRED" | "AGENT_START_FAILED" | "AGENT_TIMEOUT" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "NODE_UNAVAILABLE" | "SANDBOX_UNAVAILABLE") | string;
                /** @description What happened and what to do */
                message: string;
                /** @description Machine-readable specifics; `next`, when present, is the operationId to call next (the message or `hint` names its route) */
                details?: {
                    [key: string]: unknown;
                };
            };
        };
        BatchCreateResponse: {
            results: components["schemas"]["BatchCreateResult"][];
            succeeded: number;
            failed: number;
        };
        BatchCreateResult: {
            /** @description Position of the item in the request */
            index: number;
            ok: boolean;
            session?: components["schemas"]["Session"];
            reused?: boolean;
            promptDelivery?: components["schemas"]["PromptDelivery"] | null;
            error?: components["schemas"]["BatchItemError"];
        };
        Session: {
            id: string;
            name: string | null;
            title: string | null;
            workDir: string;
            status: components["schemas"]["SessionStatus"];
            permissionMode: components["schemas"]["PermissionMode"];
            agent: string;
            model: string | null;
            ownerId: string | null;
            parentId: string | null;
            createdAt: string;
            updatedAt: string;
            lastActivityAt: string;
            turns: number;
            queuedPrompts: number;
            lastSeq: number;
            usage: components["schemas"]["Usage"];
            pendingPermission: components["schemas"]["PendingPermission"] | null;
            pendingPermissionCount: number;
            /** @default null */
            pendingQuestion: components["schemas"]["PendingQuestion"] | null;
            /**
             * @description Per-session permission rules. The server's rules are a ceiling: the stricter verdict wins (deny over ask over allow), so a session rule can narrow but never lift a server deny or ask
             * @default []
             */
            policies: components["schemas"]["PolicyRule"][];
            problem: components["schemas"]["SessionProblem"] | null;
            exit: components["schemas"]["AgentExit"] | null;
            availableModes: components["schemas"]["AgentMode"][];
            availableCommands: components["schemas"]["AgentCommand"][];
            /**
             * @description The agent-side session behind this one; null until the agent is ready
             * @default null
             */
            agentSession: components["schemas"]["AgentSession"] | null;
            /**
             * @description Whether an agent process is up for this session. `false` for a dormant session (evicted when idle, or after a restart): the next prompt starts one and resumes the conversation
             * @default false
             */
            agentResident: boolean;
            /**
             * @description The node that owns this session when several Aegis servers share one PostgreSQL database (it runs the agent); `null` on a single server
             * @default null
             */
            node: string | null;
            /**
             * @description How the agent is confined (workDir and a private HOME writable, nothing else of the host visible, network only as given); `null`: not sandboxed
             * @default null
             */
            sandbox: components["schemas"]["SessionSandbox"] | null;
            /**
             * @description The template the session was created from
             * @default null
             */
            templateId: string | null;
            /**
             * @description Spending limits of this session (`null`: none); raise them with PATCH /v1/sessions/{id}
             * @default null
             */
            budget: components["schemas"]["Budget"] | null;
            budgetStatus?: components["schemas"]["BudgetStatus"];
        };
        /** @enum {string} */
        SessionStatus: "pending" | "idle" | "working" | "permission_prompt" | "asking" | "stalled" | "rate_limit" | "error" | "completed" | "killed" | "crashed";
        /** @enum {string} */
        PermissionMode: "default" | "acceptEdits" | "plan" | "bypassPermissions" | "dontAsk" | "auto";
        Usage: {
            /** @default 0 */
            inputTokens: number;
            /** @default 0 */
            outputTokens: number;
            /** @default 0 */
            cachedReadTokens: number;
            /** @default 0 */
            cachedWriteTokens: number;
            /** @default 0 */
            totalTokens: number;
            /** @default null */
            costUsd: number | null;
            /** @default null */
            contextUsed: number | null;
            /** @default null */
            contextSize: number | null;
            /**
             * @description Time the agent spent working in turns, summed
             * @default 0
             */
            durationMs: number;
            /** @default 0 */
            toolCalls: number;
        };
        PendingPermission: {
            requestId: string;
            toolCallId: string | null;
            title: string;
            kind: components["schemas"]["ToolKind"] | null;
            input?: unknown;
            /** @default [] */
            content: components["schemas"]["ToolContent"][];
            options: components["schemas"]["PermissionOption"][];
            requestedAt: string;
        };
        /** @enum {string} */
        ToolKind: "read" | "edit" | "delete" | "move" | "search" | "execute" | "think" | "fetch" | "switch_mode" | "other";
        ToolContent: {
            /** @enum {string} */
            type: "text";
            text: string;
        } | {
            /** @enum {string} */
            type: "diff";
            path: string;
            oldText: string | null;
            newText: string;
        } | {
            /** @enum {string} */
            type: "terminal";
            terminalId: string;
        };
        PermissionOption: {
            optionId: string;
            name: string;
            kind: components["schemas"]["PermissionOptionKind"];
        };
        /** @enum {string} */
        PermissionOptionKind: "allow_once" | "allow_always" | "reject_once" | "reject_always";
        PendingQuestion: {
            questionId: string;
            toolCallId: string | null;
            message: string;
            questions: components["schemas"]["QuestionField"][];
            askedAt: string;
        };
        QuestionField: {
            id: string;
            question: string;
            header?: string | null;
            options: components["schemas"]["QuestionOption"][];
            multiSelect: boolean;
            allowCustom: boolean;
        };
        QuestionOption: {
            value: string;
            label: string;
            description?: string | null;
        };
        PolicyRule: {
            /** @description Recorded as `decidedBy.rule` on each decision */
            name: string;
            /**
             * @description `ask` hands the request to a human
             * @enum {string}
             */
            decision: "allow" | "deny" | "ask";
            toolKind?: components["schemas"]["ToolKind"] | components["schemas"]["ToolKind"][];
            /** @description Glob on the request title; `*` matches anything */
            titleGlob?: string;
            /** @description Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across */
            pathGlob?: string;
            /** @description Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000 */
            commandPattern?: string;
            /**
             * @description For allow/deny: pick the always option when offered
             * @enum {string}
             */
            scope?: "once" | "always";
        };
        SessionProblem: {
            code: string;
            message: string;
            hint?: string;
            retryAt?: string;
        };
        AgentExit: {
            exitCode: number | null;
            signal: string | null;
            stderrTail: string;
        };
        AgentMode: {
            id: string;
            name: string;
            description?: string | null;
        };
        AgentCommand: {
            name: string;
            description: string;
            hint?: string | null;
        };
        AgentSession: {
            /** @description The agent's own session id (ACP sessionId) */
            id: string;
            /** @description Aegis can bring it back in a new agent process (after an eviction or a restart): false only for a session with its own env, which Aegis does not store, once the process that had it is gone */
            resumable: boolean;
        };
        SessionSandbox: {
            /**
             * @description `model`: only the model endpoint and `allowedHosts`, through the server’s egress proxy (which adds the model credentials outside the sandbox); `none`: no network at all
             * @default model
             * @enum {string}
             */
            network: "model" | "none";
            /**
             * @description Hosts besides the model the agent may reach: `host`, `host:port` or `*.domain`
             * @default []
             */
            allowedHosts: string[];
            /**
             * @description Absolute host paths visible read-only inside
             * @default []
             */
            readOnlyPaths: string[];
            /**
             * @description Absolute host paths visible read-write inside, besides the workDir (within the allowed workDirs)
             * @default []
             */
            writablePaths: string[];
        };
        Budget: {
            /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
            maxCostUsd?: number;
            /** @description Most tokens (input + output + cache) the session may use */
            maxTokens?: number;
            /** @description Most turns (prompts run) */
            maxTurns?: number;
            /** @description Most milliseconds the agent may spend working in turns, summed */
            maxDurationMs?: number;
        };
        /**
         * @default {
         *       "warned": [],
         *       "exceeded": null
         *     }
         */
        BudgetStatus: {
            /** @description Limits past 80 % (a `budget.warning` was recorded for each) */
            warned: components["schemas"]["BudgetLimit"][];
            /** @description The limit that stopped the session; `null` while within budget */
            exceeded: components["schemas"]["BudgetLimit"] | null;
        };
        /** @enum {string} */
        BudgetLimit: "maxCostUsd" | "maxTokens" | "maxTurns" | "maxDurationMs";
        PromptDelivery: {
            /** @description The prompt reached the agent (its turn started) */
            delivered: boolean;
            /** @description The prompt waits, in order, behind the running turn or the agent start-up */
            queued: boolean;
            /** @description 1 = next in the queue, when queued */
            position: number | null;
            attempts: number;
        };
        BatchItemError: {
            /** @description Stable UPPER_SNAKE code to branch on */
            code: ("BAD_REQUEST" | "VALIDATION_FAILED" | "WORKDIR_DENIED" | "UNSUPPORTED_MODE" | "UNSUPPORTED_MODEL" | "UNKNOWN_AGENT" | "UNAUTHORIZED" | "FORBIDDEN" | "SESSION_NOT_FOUND" | "NOT_FOUND" | "CHANNEL_NOT_FOUND" | "NOTHING_PENDING" | "INVALID_TRANSITION" | "SESSION_TERMINATED" | "CONFLICT" | "CHANNEL_NOT_CONFIGURED" | "LEASE_LOST" | "SESSION_ELSEWHERE" | "IDEMPOTENCY_IN_PROGRESS" | "PAYLOAD_TOO_LARGE" | "IDEMPOTENCY_KEY_REUSED" | "RATE_LIMITED" | "CAPACITY_EXHAUSTED" | "BUDGET_EXCEEDED" | "INTERNAL" | "NOT_IMPLEMENTED" | "AGENT_PROTOCOL_ERROR" | "AGENT_CRASHED" | "AGENT_AUTH_REQUIRED" | "AGENT_START_FAILED" | "AGENT_TIMEOUT" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "NODE_UNAVAILABLE" | "SANDBOX_UNAVAILABLE") | string;
            /** @description What happened and what to do */
            message: string;
            /** @description Machine-readable specifics; `next`, when present, is the operationId to call next (the message or `hint` names its route) */
            details?: {
                [key: string]: unknown;
            };
        };
        BatchCreateRequest: {
            sessions: components["schemas"]["CreateSessionRequest"][];
        };
        CreateSessionRequest: {
            /** @description Absolute path of an existing directory inside the allowed directories */
            workDir: string;
            name?: string;
            /** @description First prompt; delivered as soon as the agent is ready */
            prompt?: string;
            permissionMode?: components["schemas"]["PermissionMode"];
            model?: string;
            /** @description A configured ACP agent; default claude-code */
            agent?: string;
            /** @description Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400 */
            env?: {
                [key: string]: string;
            };
            parentId?: string;
            /** @description Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask */
            policies?: components["schemas"]["PolicyRule"][];
            /** @description Start from a template (id, or the name of a template you can see); fields given here override the template */
            templateId?: string;
            /** @description Values for the `{{name}}` placeholders of the template prompt */
            variables?: {
                [key: string]: string;
            };
            /** @description Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, "Sandboxed sessions"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it */
            sandbox?: {
                /** @description Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes */
                enabled?: boolean;
                /** @enum {string} */
                network?: "model" | "none";
                allowedHosts?: string[];
                readOnlyPaths?: string[];
                writablePaths?: string[];
            };
            /** @description Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s */
            budget?: {
                /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
                maxCostUsd?: number;
                /** @description Most tokens (input + output + cache) the session may use */
                maxTokens?: number;
                /** @description Most turns (prompts run) */
                maxTurns?: number;
                /** @description Most milliseconds the agent may spend working in turns, summed */
                maxDurationMs?: number;
            };
            /** @description Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session. */
            reuse?: boolean;
        };
        BatchDeleteResponse: {
            results: components["schemas"]["BatchDeleteResult"][];
            succeeded: number;
            failed: number;
        };
        BatchDeleteResult: {
            index: number;
            id: string;
            ok: boolean;
            session?: components["schemas"]["Session"];
            error?: components["schemas"]["BatchItemError"];
        };
        BatchDeleteRequest: {
            ids: string[];
        };
        /** @description The session's fields at the top level (so `jq -r '.id'` works, as the earlier Aegis documents show), plus `session` (the same object), `reused` and `promptDelivery`. */
        CreateSessionResponse: {
            id: string;
            name: string | null;
            title: string | null;
            workDir: string;
            status: components["schemas"]["SessionStatus"];
            permissionMode: components["schemas"]["PermissionMode"];
            agent: string;
            model: string | null;
            ownerId: string | null;
            parentId: string | null;
            createdAt: string;
            updatedAt: string;
            lastActivityAt: string;
            turns: number;
            queuedPrompts: number;
            lastSeq: number;
            usage: components["schemas"]["Usage"];
            pendingPermission: components["schemas"]["PendingPermission"] | null;
            pendingPermissionCount: number;
            /** @default null */
            pendingQuestion: components["schemas"]["PendingQuestion"] | null;
            /**
             * @description Per-session permission rules. The server's rules are a ceiling: the stricter verdict wins (deny over ask over allow), so a session rule can narrow but never lift a server deny or ask
             * @default []
             */
            policies: components["schemas"]["PolicyRule"][];
            problem: components["schemas"]["SessionProblem"] | null;
            exit: components["schemas"]["AgentExit"] | null;
            availableModes: components["schemas"]["AgentMode"][];
            availableCommands: components["schemas"]["AgentCommand"][];
            /**
             * @description The agent-side session behind this one; null until the agent is ready
             * @default null
             */
            agentSession: components["schemas"]["AgentSession"] | null;
            /**
             * @description Whether an agent process is up for this session. `false` for a dormant session (evicted when idle, or after a restart): the next prompt starts one and resumes the conversation
             * @default false
             */
            agentResident: boolean;
            /**
             * @description The node that owns this session when several Aegis servers share one PostgreSQL database (it runs the agent); `null` on a single server
             * @default null
             */
            node: string | null;
            /**
             * @description How the agent is confined (workDir and a private HOME writable, nothing else of the host visible, network only as given); `null`: not sandboxed
             * @default null
             */
            sandbox: components["schemas"]["SessionSandbox"] | null;
            /**
             * @description The template the session was created from
             * @default null
             */
            templateId: string | null;
            /**
             * @description Spending limits of this session (`null`: none); raise them with PATCH /v1/sessions/{id}
             * @default null
             */
            budget: components["schemas"]["Budget"] | null;
            budgetStatus?: components["schemas"]["BudgetStatus"];
            /** @description The session (the same fields are also at the top level) */
            session: {
                id: string;
                name: string | null;
                title: string | null;
                workDir: string;
                status: components["schemas"]["SessionStatus"];
                permissionMode: components["schemas"]["PermissionMode"];
                agent: string;
                model: string | null;
                ownerId: string | null;
                parentId: string | null;
                createdAt: string;
                updatedAt: string;
                lastActivityAt: string;
                turns: number;
                queuedPrompts: number;
                lastSeq: number;
                usage: components["schemas"]["Usage"];
                pendingPermission: components["schemas"]["PendingPermission"] | null;
                pendingPermissionCount: number;
                /** @default null */
                pendingQuestion: components["schemas"]["PendingQuestion"] | null;
                /**
                 * @description Per-session permission rules. The server's rules are a ceiling: the stricter verdict wins (deny over ask over allow), so a session rule can narrow but never lift a server deny or ask
                 * @default []
                 */
                policies: components["schemas"]["PolicyRule"][];
                problem: components["schemas"]["SessionProblem"] | null;
                exit: components["schemas"]["AgentExit"] | null;
                availableModes: components["schemas"]["AgentMode"][];
                availableCommands: components["schemas"]["AgentCommand"][];
                /**
                 * @description The agent-side session behind this one; null until the agent is ready
                 * @default null
                 */
                agentSession: components["schemas"]["AgentSession"] | null;
                /**
                 * @description Whether an agent process is up for this session. `false` for a dormant session (evicted when idle, or after a restart): the next prompt starts one and resumes the conversation
                 * @default false
                 */
                agentResident: boolean;
                /**
                 * @description The node that owns this session when several Aegis servers share one PostgreSQL database (it runs the agent); `null` on a single server
                 * @default null
                 */
                node: string | null;
                /**
                 * @description How the agent is confined (workDir and a private HOME writable, nothing else of the host visible, network only as given); `null`: not sandboxed
                 * @default null
                 */
                sandbox: components["schemas"]["SessionSandbox"] | null;
                /**
                 * @description The template the session was created from
                 * @default null
                 */
                templateId: string | null;
                /**
                 * @description Spending limits of this session (`null`: none); raise them with PATCH /v1/sessions/{id}
                 * @default null
                 */
                budget: components["schemas"]["Budget"] | null;
                budgetStatus?: components["schemas"]["BudgetStatus"];
            };
            reused: boolean;
            promptDelivery: components["schemas"]["PromptDelivery"] | null;
        };
        SessionList: {
            sessions: components["schemas"]["Session"][];
            total: number;
            page: number;
            limit: number;
        };
        SessionDetail: {
            id: string;
            name: string | null;
            title: string | null;
            workDir: string;
            status: components["schemas"]["SessionStatus"];
            permissionMode: components["schemas"]["PermissionMode"];
            agent: string;
            model: string | null;
            ownerId: string | null;
            parentId: string | null;
            createdAt: string;
            updatedAt: string;
            lastActivityAt: string;
            turns: number;
            queuedPrompts: number;
            lastSeq: number;
            usage: components["schemas"]["Usage"];
            pendingPermission: components["schemas"]["PendingPermission"] | null;
            pendingPermissionCount: number;
            /** @default null */
            pendingQuestion: components["schemas"]["PendingQuestion"] | null;
            /**
             * @description Per-session permission rules. The server's rules are a ceiling: the stricter verdict wins (deny over ask over allow), so a session rule can narrow but never lift a server deny or ask
             * @default []
             */
            policies: components["schemas"]["PolicyRule"][];
            problem: components["schemas"]["SessionProblem"] | null;
            exit: components["schemas"]["AgentExit"] | null;
            availableModes: components["schemas"]["AgentMode"][];
            availableCommands: components["schemas"]["AgentCommand"][];
            /**
             * @description The agent-side session behind this one; null until the agent is ready
             * @default null
             */
            agentSession: components["schemas"]["AgentSession"] | null;
            /**
             * @description Whether an agent process is up for this session. `false` for a dormant session (evicted when idle, or after a restart): the next prompt starts one and resumes the conversation
             * @default false
             */
            agentResident: boolean;
            /**
             * @description The node that owns this session when several Aegis servers share one PostgreSQL database (it runs the agent); `null` on a single server
             * @default null
             */
            node: string | null;
            /**
             * @description How the agent is confined (workDir and a private HOME writable, nothing else of the host visible, network only as given); `null`: not sandboxed
             * @default null
             */
            sandbox: components["schemas"]["SessionSandbox"] | null;
            /**
             * @description The template the session was created from
             * @default null
             */
            templateId: string | null;
            /**
             * @description Spending limits of this session (`null`: none); raise them with PATCH /v1/sessions/{id}
             * @default null
             */
            budget: components["schemas"]["Budget"] | null;
            budgetStatus?: components["schemas"]["BudgetStatus"];
            /** @description What you can do next in this state, limited to what your role may call: e.g. approve/reject/escape while `permission_prompt`, answer while `asking`, interrupt while a turn runs; empty once the session has ended */
            actions: components["schemas"]["SessionAction"][];
            /** @description The same next steps in words, as API calls (as GET /v1/sessions/{id}/health gives them) */
            hints: string[];
        };
        /**
         * @description send → POST …/send, interrupt → POST …/interrupt, approve/reject → POST …/approve|reject, answer → POST …/answer, escape → POST …/escape, mode → POST …/mode, kill → DELETE /v1/sessions/{id}
         * @enum {string}
         */
        SessionAction: "send" | "interrupt" | "approve" | "reject" | "answer" | "escape" | "mode" | "kill";
        SendResponse: {
            promptDelivery: components["schemas"]["PromptDelivery"];
            session: components["schemas"]["Session"];
        };
        SendRequest: {
            text: string;
        };
        PermissionAnswerResponse: {
            requestId: string;
            optionId: string;
            optionKind: string;
            session: components["schemas"]["Session"];
        };
        PermissionAnswerRequest: {
            /** @description Pick an offered option explicitly */
            optionId?: string;
            /**
             * @description always → the allow_always / reject_always option
             * @enum {string}
             */
            scope?: "once" | "always";
        };
        InterruptResponse: {
            interrupted: boolean;
            droppedPrompts: number;
            session: components["schemas"]["Session"];
        };
        ModeRequest: {
            mode: components["schemas"]["PermissionMode"];
        };
        ReadResponse: {
            status: components["schemas"]["SessionStatus"];
            /** @description The state in words, with what to do next */
            statusText: string;
            session: components["schemas"]["Session"];
            entries: components["schemas"]["TranscriptEntry"][];
            /** @description The same entries as `entries`, in the earlier Aegis documents' shape */
            messages: components["schemas"]["ReadMessage"][];
            /** @description Pass back as ?cursor= to get only newer entries */
            cursor: number;
            has_more: boolean;
        };
        TranscriptEntry: {
            id: number;
            sessionId: string;
            /** @description seq of the event that finished this entry */
            seq: number;
            at: string;
            role: components["schemas"]["TranscriptRole"];
            text: string;
            tool?: {
                toolCallId: string;
                title: string;
                kind: components["schemas"]["ToolKind"] | null;
                status: string;
                input?: unknown;
                output?: unknown;
                content: components["schemas"]["ToolContent"][];
                locations: components["schemas"]["ToolLocation"][];
            };
            permission?: {
                requestId: string;
                title: string;
                options: components["schemas"]["PermissionOption"][];
                /** @enum {string} */
                outcome: "selected" | "cancelled";
                optionKind: string | null;
                decidedBy: components["schemas"]["Decider"];
            };
            plan?: components["schemas"]["PlanEntry"][];
        };
        /** @enum {string} */
        TranscriptRole: "user" | "assistant" | "thought" | "tool" | "permission" | "plan" | "system";
        ToolLocation: {
            path: string;
            line?: number | null;
        };
        Decider: {
            /** @enum {string} */
            type: "human" | "policy" | "system";
            actor: string | null;
            rule?: string | null;
            /**
             * @description For policy decisions: whose rule decided — the server's rules (the administrator's ceiling) or the session's own `policies`
             * @enum {string}
             */
            source?: "server" | "session";
        };
        PlanEntry: {
            content: string;
            /** @enum {string} */
            priority: "high" | "medium" | "low";
            /** @enum {string} */
            status: "pending" | "in_progress" | "completed";
        };
        ReadMessage: {
            /** @enum {string} */
            role: "user" | "assistant" | "system";
            /**
             * @description thought → thinking, tool → tool_use, permission → permission_request, plan → plan
             * @enum {string}
             */
            contentType: "text" | "thinking" | "tool_use" | "permission_request" | "plan";
            text: string;
            timestamp: string;
        };
        TranscriptPage: {
            messages: components["schemas"]["TranscriptEntry"][];
            has_more: boolean;
            oldest_id: number | null;
            newest_id: number | null;
        };
        UpdateSessionRequest: {
            /** @description The new budget, replacing the old one (`null`: no limits). Limits may not be negative */
            budget: {
                /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
                maxCostUsd?: number;
                /** @description Most tokens (input + output + cache) the session may use */
                maxTokens?: number;
                /** @description Most turns (prompts run) */
                maxTurns?: number;
                /** @description Most milliseconds the agent may spend working in turns, summed */
                maxDurationMs?: number;
            } | null;
        };
        UsageReport: {
            from: string;
            to: string;
            groupBy: ("day" | "key" | "template" | "model" | "session" | "workDir")[];
            groups: components["schemas"]["UsageGroup"][];
            /** @description Sums over the whole range (all groups) */
            totals: {
                day?: string;
                /** @description Owner (API key id); `null` for the local user */
                key?: string | null;
                template?: string | null;
                model?: string | null;
                session?: string;
                workDir?: string;
                turns: number;
                inputTokens: number;
                outputTokens: number;
                cachedReadTokens: number;
                cachedWriteTokens: number;
                totalTokens: number;
                costUsd: number;
                durationMs: number;
                toolCalls: number;
            };
        };
        UsageGroup: {
            day?: string;
            /** @description Owner (API key id); `null` for the local user */
            key?: string | null;
            template?: string | null;
            model?: string | null;
            session?: string;
            workDir?: string;
            turns: number;
            inputTokens: number;
            outputTokens: number;
            cachedReadTokens: number;
            cachedWriteTokens: number;
            totalTokens: number;
            costUsd: number;
            durationMs: number;
            toolCalls: number;
        };
        AnalyticsSummary: {
            from: string;
            to: string;
            /** @description Sessions that ran at least one turn in the range */
            sessions: number;
            totals: {
                turns: number;
                inputTokens: number;
                outputTokens: number;
                cachedReadTokens: number;
                cachedWriteTokens: number;
                totalTokens: number;
                costUsd: number;
                durationMs: number;
                toolCalls: number;
            };
            /** @description One entry per day with turns, oldest first (`day` set) */
            daily: components["schemas"]["UsageGroup"][];
        };
        AnalyticsCosts: {
            from: string;
            to: string;
            totalCostUsd: number;
            /** @description Per model (`model` set), costliest first */
            byModel: components["schemas"]["UsageGroup"][];
            /** @description Per day (`day` set), oldest first */
            daily: components["schemas"]["UsageGroup"][];
        };
        AnalyticsTokens: {
            from: string;
            to: string;
            totalTokens: number;
            /** @description Per model (`model` set): input, output and cache tokens */
            byModel: components["schemas"]["UsageGroup"][];
        };
        AnalyticsRateLimits: {
            /** @description The API key asked about (yours); `null`: the local user */
            key: string | null;
            /** @description Today (UTC) */
            day: string;
            /** @description The key’s daily budget; `null`: none is configured */
            budget: components["schemas"]["Budget"] | null;
            /** @description Today's use so far */
            used: {
                costUsd: number;
                tokens: number;
                turns: number;
                durationMs: number;
            };
            /** @description Today's use at the end of the UTC day if the pace so far holds */
            forecast: {
                costUsd: number;
                tokens: number;
                turns: number;
                durationMs: number;
            };
            /** @description Per budget limit: today’s use as a fraction of it (1 = at the limit) */
            fraction: {
                [key: string]: number;
            };
            /** @description Limits the forecast passes: the key is expected to be stopped today */
            forecastExceeds: string[];
            /** @description Your sessions now in `rate_limit` (the model provider refused) */
            rateLimitedSessions: number;
        };
        AegisEvent: components["schemas"]["SessionCreatedEvent"] | components["schemas"]["AgentReadyEvent"] | components["schemas"]["AgentEvictedEvent"] | components["schemas"]["AgentResumedEvent"] | components["schemas"]["SessionAdoptedEvent"] | components["schemas"]["SessionStateChangedEvent"] | components["schemas"]["SessionInfoUpdatedEvent"] | components["schemas"]["TurnStartedEvent"] | components["schemas"]["TurnCompletedEvent"] | components["schemas"]["TurnFailedEvent"] | components["schemas"]["TurnStalledEvent"] | components["schemas"]["PromptsDroppedEvent"] | components["schemas"]["MessageDeltaEvent"] | components["schemas"]["MessageCompletedEvent"] | components["schemas"]["ThoughtDeltaEvent"] | components["schemas"]["ToolStartedEvent"] | components["schemas"]["ToolUpdatedEvent"] | components["schemas"]["ToolCompletedEvent"] | components["schemas"]["PermissionRequestedEvent"] | components["schemas"]["PermissionResolvedEvent"] | components["schemas"]["QuestionAskedEvent"] | components["schemas"]["QuestionAnsweredEvent"] | components["schemas"]["PlanUpdatedEvent"] | components["schemas"]["UsageUpdatedEvent"] | components["schemas"]["BudgetWarningEvent"] | components["schemas"]["BudgetExceededEvent"] | components["schemas"]["BudgetUpdatedEvent"] | components["schemas"]["CommandsUpdatedEvent"] | components["schemas"]["ModeChangedEvent"] | components["schemas"]["SessionEndedEvent"];
        SessionCreatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.created";
            data: {
                name: string | null;
                workDir: string;
                agent: string;
                permissionMode: components["schemas"]["PermissionMode"];
                model: string | null;
                parentId: string | null;
                /**
                 * @description The names of the session's own env variables (from the request or its template); their values are never stored
                 * @default []
                 */
                envNames: string[];
            };
        };
        AgentReadyEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "agent.ready";
            data: {
                agentName: string;
                agentVersion: string | null;
                protocolVersion: number | null;
                pid: number | null;
                modes: components["schemas"]["AgentMode"][];
                currentMode: string | null;
                models: {
                    id: string;
                    name: string;
                }[];
                currentModel: string | null;
            };
        };
        AgentEvictedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "agent.evicted";
            data: {
                reason: string;
                snapshotBytes: number | null;
            };
        };
        AgentResumedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "agent.resumed";
            data: {
                /**
                 * @description `resume`/`load`: the agent reopened its own conversation (ACP session/resume or session/load); `replay`: it could not, so a fresh agent session was given a bounded rendering of the transcript; `fresh`: there was no conversation to bring back
                 * @enum {string}
                 */
                via: "resume" | "load" | "replay" | "fresh";
                durationMs: number;
                reason: string | null;
            };
        };
        SessionAdoptedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.adopted";
            data: {
                fromNode: string | null;
                node: string;
                reason: string;
            };
        };
        SessionStateChangedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.state_changed";
            data: {
                from: components["schemas"]["SessionStatus"];
                to: components["schemas"]["SessionStatus"];
                reason: string | null;
            };
        };
        SessionInfoUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.info_updated";
            data: {
                title: string | null;
            };
        };
        TurnStartedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.started";
            data: {
                turnId: string;
                text: string;
                queuedMs: number;
            };
        };
        TurnCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.completed";
            data: {
                turnId: string;
                stopReason: components["schemas"]["StopReason"];
                durationMs: number;
                usage?: components["schemas"]["TurnUsage"];
            };
        };
        /** @enum {string} */
        StopReason: "end_turn" | "max_tokens" | "max_turn_requests" | "refusal" | "cancelled";
        TurnUsage: {
            inputTokens: number;
            outputTokens: number;
            cachedReadTokens: number;
            cachedWriteTokens: number;
            /** @description `null` when the agent reported no cost and the price table has no price for the model */
            costUsd: number | null;
            /**
             * @description `agent`: from the cost the agent reported; `price_table`: tokens × the configured price of the model
             * @enum {string}
             */
            costSource: "agent" | "price_table" | "none";
            toolCalls: number;
            model: string | null;
        };
        TurnFailedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.failed";
            data: {
                turnId: string;
                problem: components["schemas"]["SessionProblem"];
                rateLimited: boolean;
                durationMs: number;
                usage?: components["schemas"]["TurnUsage"];
            };
        };
        TurnStalledEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.stalled";
            data: {
                turnId: string;
                silentMs: number;
            };
        };
        PromptsDroppedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "prompts.dropped";
            data: {
                count: number;
                texts: string[];
                reason: string;
            };
        };
        MessageDeltaEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message.delta";
            /** @description Text streamed into a message; join the deltas of one `messageId` in `seq` order. */
            data: {
                messageId: string;
                /** @description The message's next text. A delta may carry several of the agent's chunks: consecutive chunks of one message that arrive together are stored and sent as one delta (the same text, in the same order; the transcript is unchanged). */
                text: string;
            };
        };
        MessageCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message.completed";
            data: {
                messageId: string;
                text: string;
            };
        };
        ThoughtDeltaEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "thought.delta";
            data: {
                messageId: string;
                text: string;
            };
        };
        ToolStartedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.started";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                status?: components["schemas"]["ToolStatus"];
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        /** @enum {string} */
        ToolStatus: "pending" | "in_progress" | "completed" | "failed";
        ToolUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.updated";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                status?: components["schemas"]["ToolStatus"];
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        ToolCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.completed";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                /** @enum {string} */
                status: "completed" | "failed";
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        PermissionRequestedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "permission.requested";
            data: {
                requestId: string;
                toolCallId: string | null;
                title: string;
                kind: components["schemas"]["ToolKind"] | null;
                input?: unknown;
                /** @default [] */
                content: components["schemas"]["ToolContent"][];
                options: components["schemas"]["PermissionOption"][];
            };
        };
        PermissionResolvedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "permission.resolved";
            data: {
                requestId: string;
                /** @enum {string} */
                outcome: "selected" | "cancelled";
                optionId: string | null;
                optionKind: components["schemas"]["PermissionOptionKind"] | null;
                decidedBy: components["schemas"]["Decider"];
                waitedMs: number;
            };
        };
        QuestionAskedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "question.asked";
            data: {
                questionId: string;
                toolCallId: string | null;
                message: string;
                questions: components["schemas"]["QuestionField"][];
            };
        };
        QuestionAnsweredEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "question.answered";
            data: {
                questionId: string;
                /** @enum {string} */
                outcome: "answered" | "declined" | "cancelled";
                answers: {
                    [key: string]: string | string[];
                };
                decidedBy: components["schemas"]["Decider"];
                waitedMs: number;
            };
        };
        PlanUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "plan.updated";
            data: {
                entries: components["schemas"]["PlanEntry"][];
            };
        };
        UsageUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "usage.updated";
            data: {
                contextUsed?: number | null;
                contextSize?: number | null;
                costUsd?: number | null;
                inputTokens?: number;
                outputTokens?: number;
                cachedReadTokens?: number;
                cachedWriteTokens?: number;
            };
        };
        BudgetWarningEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "budget.warning";
            data: {
                limit: components["schemas"]["BudgetLimit"];
                used: number;
                max: number;
                /**
                 * @description `key`: the owner's daily budget, not the session's
                 * @enum {string}
                 */
                scope: "session" | "key";
                message: string;
            };
        };
        BudgetExceededEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "budget.exceeded";
            data: {
                limit: components["schemas"]["BudgetLimit"];
                used: number;
                max: number;
                /** @enum {string} */
                scope: "session" | "key";
                message: string;
                hint: string;
            };
        };
        BudgetUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "budget.updated";
            data: {
                budget: components["schemas"]["Budget"] | null;
                /** @description Who changed it (API key id); `null`: the local user */
                by: string | null;
            };
        };
        CommandsUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "commands.updated";
            data: {
                commands: components["schemas"]["AgentCommand"][];
            };
        };
        ModeChangedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "mode.changed";
            data: {
                mode: string;
            };
        };
        SessionEndedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.ended";
            data: {
                /** @enum {string} */
                status: "completed" | "killed" | "crashed";
                reason: string;
                exit: components["schemas"]["AgentExit"] | null;
            };
        };
        TemplateList: {
            templates: components["schemas"]["Template"][];
        };
        Template: {
            id: string;
            name: string;
            description: string | null;
            prompt: string | null;
            permissionMode: components["schemas"]["PermissionMode"] | null;
            model: string | null;
            agent: string | null;
            env: {
                [key: string]: string;
            } | null;
            /** @default null */
            sandbox: components["schemas"]["SandboxRequest"] | null;
            /** @default null */
            budget: components["schemas"]["Budget"] | null;
            /** @description Placeholder names found in the prompt */
            variables: string[];
            /** @description Built-in templates cannot be edited or deleted */
            builtIn: boolean;
            ownerId: string | null;
            createdAt: string;
            updatedAt: string;
        };
        SandboxRequest: {
            /** @description Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes */
            enabled?: boolean;
            /** @enum {string} */
            network?: "model" | "none";
            allowedHosts?: string[];
            readOnlyPaths?: string[];
            writablePaths?: string[];
        };
        TemplateInput: {
            name: string;
            description?: string;
            /** @description First prompt; `{{name}}` placeholders are filled from `variables`, `{{name|default}}` has a fallback */
            prompt?: string;
            permissionMode?: components["schemas"]["PermissionMode"];
            model?: string;
            agent?: string;
            /** @description Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400 */
            env?: {
                [key: string]: string;
            };
            /** @description Sessions from this template run sandboxed (see the session `sandbox`) */
            sandbox?: {
                /** @description Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes */
                enabled?: boolean;
                /** @enum {string} */
                network?: "model" | "none";
                allowedHosts?: string[];
                readOnlyPaths?: string[];
                writablePaths?: string[];
            };
            /** @description Spending limits of sessions from this template (a create request may give its own) */
            budget?: {
                /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
                maxCostUsd?: number;
                /** @description Most tokens (input + output + cache) the session may use */
                maxTokens?: number;
                /** @description Most turns (prompts run) */
                maxTurns?: number;
                /** @description Most milliseconds the agent may spend working in turns, summed */
                maxDurationMs?: number;
            };
        };
        MemoryEntry: {
            key: string;
            /** @description Any JSON value */
            value?: unknown;
            updatedAt: string;
            /** @description When the entry stops being returned; null = never */
            expiresAt: string | null;
        };
        SetMemoryRequest: {
            /** @description Any JSON value, at most 65536 bytes serialized */
            value?: unknown;
            /** @description Seconds until the entry expires; omit to keep it until deleted */
            ttlSec?: number;
        };
        MemoryList: {
            entries: components["schemas"]["MemoryEntry"][];
            /** @description More entries match; raise `limit` or narrow `prefix` */
            truncated: boolean;
        };
        MemoryDeleted: {
            key: string;
            /** @enum {boolean} */
            deleted: true;
        };
        Pipeline: {
            id: string;
            name: string;
            status: components["schemas"]["PipelineStatus"];
            stages: components["schemas"]["PipelineStage"][];
            ownerId: string | null;
            createdAt: string;
            updatedAt: string;
            endedAt: string | null;
            /** @description Why the pipeline failed, when it did */
            error: string | null;
        };
        /** @enum {string} */
        PipelineStatus: "running" | "completed" | "failed";
        PipelineStage: {
            name: string;
            status: components["schemas"]["PipelineStageStatus"];
            dependsOn: string[];
            sessionId: string | null;
            startedAt: string | null;
            endedAt: string | null;
            error: string | null;
        };
        /** @enum {string} */
        PipelineStageStatus: "pending" | "running" | "completed" | "failed" | "skipped";
        CreatePipelineRequest: {
            name: string;
            stages: components["schemas"]["PipelineStageRequest"][];
        };
        PipelineStageRequest: {
            name: string;
            /** @description The stage session; `templateId` + `variables` work as in createSession */
            spec: {
                /** @description Absolute path of an existing directory inside the allowed directories */
                workDir: string;
                name?: string;
                /** @description First prompt; delivered as soon as the agent is ready */
                prompt?: string;
                permissionMode?: components["schemas"]["PermissionMode"];
                model?: string;
                /** @description A configured ACP agent; default claude-code */
                agent?: string;
                /** @description Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400 */
                env?: {
                    [key: string]: string;
                };
                parentId?: string;
                /** @description Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask */
                policies?: components["schemas"]["PolicyRule"][];
                /** @description Start from a template (id, or the name of a template you can see); fields given here override the template */
                templateId?: string;
                /** @description Values for the `{{name}}` placeholders of the template prompt */
                variables?: {
                    [key: string]: string;
                };
                /** @description Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, "Sandboxed sessions"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it */
                sandbox?: {
                    /** @description Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes */
                    enabled?: boolean;
                    /** @enum {string} */
                    network?: "model" | "none";
                    allowedHosts?: string[];
                    readOnlyPaths?: string[];
                    writablePaths?: string[];
                };
                /** @description Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s */
                budget?: {
                    /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
                    maxCostUsd?: number;
                    /** @description Most tokens (input + output + cache) the session may use */
                    maxTokens?: number;
                    /** @description Most turns (prompts run) */
                    maxTurns?: number;
                    /** @description Most milliseconds the agent may spend working in turns, summed */
                    maxDurationMs?: number;
                };
                /** @description Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session. */
                reuse?: boolean;
            };
            /** @description Stages that must complete before this one starts */
            dependsOn?: string[];
        };
        PipelineList: {
            pipelines: components["schemas"]["Pipeline"][];
            total: number;
            page: number;
            limit: number;
        };
        Routine: {
            id: string;
            name: string;
            /** @description As given: a cron expression, an interval (`every 5m`) or a one-off time */
            schedule: string;
            /** @enum {string} */
            scheduleKind: "cron" | "interval" | "once";
            /** @description IANA time zone the schedule is read in */
            timezone: string;
            overlap: components["schemas"]["RoutineOverlap"];
            catchUp: components["schemas"]["RoutineCatchUp"];
            /** @description False while paused */
            enabled: boolean;
            /** @description The next due time (ISO-8601, UTC); null when paused or when a one-off has fired */
            nextFireAt: string | null;
            lastFiredAt: string | null;
            ownerId: string | null;
            /** @description The role of the key that created it; fires act with it */
            ownerRole: string | null;
            createdAt: string;
            updatedAt: string;
            target: components["schemas"]["RoutineTarget"];
        };
        /**
         * @description When a due time comes while the previous run is still going: `skip` it (recorded as a skipped run), `queue` it (starts when the previous run ends; at most 10 wait), or `allow` it to run beside
         * @enum {string}
         */
        RoutineOverlap: "skip" | "queue" | "allow";
        /**
         * @description Due times missed while no server ran: `none` fires none of them, `latest` fires the most recent one once, `all` fires each of them (the 10 most recent at most), oldest first
         * @enum {string}
         */
        RoutineCatchUp: "none" | "latest" | "all";
        /** @description What each due time starts: exactly one of `session`, `template` or `pipeline`. Sessions start new (not reusing an idle one) unless the body says `reuse: true` */
        RoutineTarget: {
            /** @description A createSession body */
            session: {
                /** @description Absolute path of an existing directory inside the allowed directories */
                workDir: string;
                name?: string;
                /** @description First prompt; delivered as soon as the agent is ready */
                prompt?: string;
                permissionMode?: components["schemas"]["PermissionMode"];
                model?: string;
                /** @description A configured ACP agent; default claude-code */
                agent?: string;
                /** @description Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400 */
                env?: {
                    [key: string]: string;
                };
                parentId?: string;
                /** @description Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask */
                policies?: components["schemas"]["PolicyRule"][];
                /** @description Start from a template (id, or the name of a template you can see); fields given here override the template */
                templateId?: string;
                /** @description Values for the `{{name}}` placeholders of the template prompt */
                variables?: {
                    [key: string]: string;
                };
                /** @description Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, "Sandboxed sessions"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it */
                sandbox?: {
                    /** @description Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes */
                    enabled?: boolean;
                    /** @enum {string} */
                    network?: "model" | "none";
                    allowedHosts?: string[];
                    readOnlyPaths?: string[];
                    writablePaths?: string[];
                };
                /** @description Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s */
                budget?: {
                    /** @description Most US dollars the session may spend (agent-reported cost, else the price table) */
                    maxCostUsd?: number;
                    /** @description Most tokens (input + output + cache) the session may use */
                    maxTokens?: number;
                    /** @description Most turns (prompts run) */
                    maxTurns?: number;
                    /** @description Most milliseconds the agent may spend working in turns, summed */
                    maxDurationMs?: number;
                };
                /** @description Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session. */
                reuse?: boolean;
            };
        } | {
            /** @description A template id, or the name of a template you can see */
            template: string;
            /** @description Where the session works */
            workDir: string;
            /** @description Overrides the template prompt */
            prompt?: string;
            /** @description Values for the `{{name}}` placeholders of the template prompt */
            variables?: {
                [key: string]: string;
            };
        } | {
            /** @description A createPipeline body */
            pipeline: {
                name: string;
                stages: components["schemas"]["PipelineStageRequest"][];
            };
        };
        CreateRoutineRequest: {
            name: string;
            /** @description A cron expression (5 fields "minute hour day month weekday", or 6 with a leading seconds field; `@daily` and the like), an interval (`every 30s`, `every 5m`, `every 2h`, `every 1d`), or a one-off ISO-8601 time (read in `timezone` when it has no offset) */
            schedule: string;
            /** @description IANA time zone the schedule is read in; default UTC */
            timezone?: string;
            target: components["schemas"]["RoutineTarget"];
            /**
             * @description Default `skip`
             * @enum {string}
             */
            overlap?: "skip" | "queue" | "allow";
            /**
             * @description Default `latest`
             * @enum {string}
             */
            catchUp?: "none" | "latest" | "all";
            /** @description Default true; false creates it paused */
            enabled?: boolean;
        };
        RoutineList: {
            routines: components["schemas"]["Routine"][];
            total: number;
            page: number;
            limit: number;
        };
        RoutinePreview: {
            schedule: string;
            timezone: string;
            /** @description The next due times, ISO-8601 UTC, earliest first */
            times: string[];
        };
        UpdateRoutineRequest: {
            name?: string;
            /** @description A cron expression (5 fields "minute hour day month weekday", or 6 with a leading seconds field; `@daily` and the like), an interval (`every 30s`, `every 5m`, `every 2h`, `every 1d`), or a one-off ISO-8601 time (read in `timezone` when it has no offset) */
            schedule?: string;
            /** @description IANA time zone the schedule is read in; default UTC */
            timezone?: string;
            target?: components["schemas"]["RoutineTarget"];
            overlap?: components["schemas"]["RoutineOverlap"];
            catchUp?: components["schemas"]["RoutineCatchUp"];
            enabled?: boolean;
        };
        RoutineRun: {
            id: string;
            routineId: string;
            /** @enum {string} */
            trigger: "schedule" | "catch_up" | "manual";
            /** @description The due time this run is for (ISO-8601, UTC); for `manual`, when asked */
            dueAt: string;
            /** @description When its target was started; null while queued or when skipped */
            firedAt: string | null;
            endedAt: string | null;
            outcome: components["schemas"]["RoutineRunOutcome"];
            sessionId: string | null;
            pipelineId: string | null;
            /** @description The session’s cost when known (session targets) */
            costUsd: number | null;
            /** @description Why the run failed or was skipped */
            error: string | null;
        };
        /**
         * @description `running` until the session’s first turn (or the pipeline) ends; `queued` waits for the previous run (overlap `queue`); `completed`/`failed` at the end; `skipped` when overlap `skip` passed it over
         * @enum {string}
         */
        RoutineRunOutcome: "running" | "queued" | "completed" | "failed" | "skipped";
        RoutineRunList: {
            runs: components["schemas"]["RoutineRun"][];
            total: number;
            page: number;
            limit: number;
        };
        SessionHealth: {
            sessionId: string;
            status: components["schemas"]["SessionStatus"];
            /** @description The agent process is up */
            alive: boolean;
            /** @description Alive and not stuck, failed or waiting on nobody */
            healthy: boolean;
            lastActivityAt: string;
            /** @description Since the last recorded event, while the agent is up */
            idleMs: number | null;
            /** @description How long a stalled turn has been silent */
            stalledMs: number | null;
            pendingPermission: boolean;
            pendingQuestion: boolean;
            queuedPrompts: number;
            problem: ({
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description Operations that make sense in this state; over HTTP, only those your role may call */
            actions: components["schemas"]["SessionAction"][];
            /** @description What to do next, as API calls */
            hints: string[];
        };
        SessionSummary: {
            sessionId: string;
            status: components["schemas"]["SessionStatus"];
            title: string | null;
            turns: {
                total: number;
                completed: number;
                failed: number;
                cancelled: number;
            };
            toolCalls: {
                total: number;
                byStatus: {
                    [key: string]: number;
                };
                byKind: {
                    [key: string]: number;
                };
            };
            /** @description Paths from tool diffs and locations, in first-touched order */
            filesTouched: string[];
            permissions: {
                requested: number;
                approved: number;
                rejected: number;
                cancelled: number;
                byDecider: {
                    human: number;
                    policy: number;
                    system: number;
                };
                /** @description Policy decisions per rule name */
                byRule: {
                    [key: string]: number;
                };
            };
            questions: {
                asked: number;
                answered: number;
                dismissed: number;
            };
            lastAssistantMessage: string | null;
            usage: components["schemas"]["Usage"];
        };
        SessionMetrics: {
            sessionId: string;
            events: {
                total: number;
                byType: {
                    [key: string]: number;
                };
            };
            tokens: {
                input: number;
                output: number;
                cachedRead: number;
                cachedWrite: number;
                total: number;
                contextUsed: number | null;
                contextSize: number | null;
            };
            costUsd: number | null;
            /** @description One per finished turn, oldest first */
            turnDurationsMs: number[];
            messages: number;
            toolCalls: number;
        };
        SessionLatency: {
            sessionId: string;
            turnDurationMs: components["schemas"]["LatencyStats"];
            /** @description From turn start to the first message or thought chunk */
            timeToFirstTokenMs: {
                count: number;
                p50: number | null;
                p95: number | null;
                max: number | null;
                mean: number | null;
            };
            permissionWaitMs: components["schemas"]["LatencyStats"];
            questionWaitMs: components["schemas"]["LatencyStats"];
            /** @description How long prompts waited behind running turns */
            queuedMs: {
                count: number;
                p50: number | null;
                p95: number | null;
                max: number | null;
                mean: number | null;
            };
        };
        LatencyStats: {
            count: number;
            p50: number | null;
            p95: number | null;
            max: number | null;
            mean: number | null;
        };
        AnswerQuestionResponse: {
            questionId: string;
            answers: {
                [key: string]: string | string[];
            };
            session: components["schemas"]["Session"];
        };
        AnswerQuestionRequest: {
            /** @description Answer to the first question: an option's value or label, or free text where allowed */
            answer?: string | string[];
            /** @description Answers keyed by question id (see `pendingQuestion.questions[].id`) */
            answers?: {
                [key: string]: string | string[];
            };
        };
        EscapeResponse: {
            /** @enum {string} */
            dismissed: "permission" | "question";
            requestId: string;
            session: components["schemas"]["Session"];
        };
        DiscoverCommandsResponse: {
            commands: components["schemas"]["AgentCommand"][];
            session: components["schemas"]["Session"];
        };
        ChannelList: {
            channels: components["schemas"]["Channel"][];
        };
        Channel: {
            /** @enum {string} */
            name: "telegram" | "slack" | "email";
            configured: boolean;
            /**
             * @description `retrying`: sends fail and are retried with backoff; `error`: the channel cannot work (e.g. its token was refused)
             * @enum {string}
             */
            state: "disabled" | "starting" | "ok" | "retrying" | "error" | "stopped";
            lastError: string | null;
            lastErrorAt: string | null;
            lastSentAt: string | null;
            /** @description Paused by a rate limit of the channel until then */
            pausedUntil: string | null;
            /** @description Messages waiting to be sent */
            queueDepth: number;
            outbox: components["schemas"]["ChannelOutboxStats"] | null;
            /** @description What the channel's own check found, e.g. the bot's @name */
            detail: string | null;
            /** @description On a cluster: the node that polls Telegram and delivers the outbox now (one at a time); null when not a cluster */
            runner: string | null;
        };
        ChannelOutboxStats: {
            pending: number;
            sending: number;
            sent: number;
            failed: number;
            /** @description Sends a crash interrupted: not sent again, since the channel cannot say whether they arrived */
            unconfirmed: number;
            oldestPendingAt: string | null;
        };
        ChannelTestResult: {
            delivered: boolean;
            detail: string;
        };
        PolicyList: {
            /** @description Server-wide rules, in order; the first match decides */
            rules: components["schemas"]["PolicyRule"][];
        };
        SetPoliciesRequest: {
            rules: components["schemas"]["PolicyRule"][];
        };
        HandshakeResponse: {
            protocolVersion: number;
            minProtocolVersion: number;
            /** @description This server's capabilities, then the names of the earlier Aegis documents it supports */
            serverCapabilities: string[];
            /** @description Capabilities both sides have */
            negotiatedCapabilities: string[];
            /** @description One per client capability this server does not support (saying why, for documented ones) */
            warnings: string[];
            compatible: boolean;
        };
        HandshakeRequest: {
            /** @description A whole number; `"1"` (a string, as the earlier Aegis documents send it) works too */
            protocolVersion: number | string;
            /** @default [] */
            clientCapabilities: string[];
        };
        DiagnosticsResponse: {
            version: string;
            protocolVersion: number;
            node: string;
            platform: string;
            arch: string;
            pid: number;
            uptimeSec: number;
            memory: {
                rssBytes: number;
                heapUsedBytes: number;
            };
            /** @description What keeps the server's event loop busy, by kind (Node's process.getActiveResourcesInfo): `Timeout` (timers), `TCPSocketWrap`, `ProcessWrap`, … A count that grows with every session created and ended is a leak. */
            activeResources: {
                [key: string]: number;
            };
            storage: {
                stateDir: string | null;
                dbPath: string | null;
                /** @description Database file plus its WAL */
                dbSizeBytes: number | null;
            };
            sessions: {
                live: number;
                byState: {
                    pending?: number;
                    idle?: number;
                    working?: number;
                    permission_prompt?: number;
                    asking?: number;
                    stalled?: number;
                    rate_limit?: number;
                    error?: number;
                    completed?: number;
                    killed?: number;
                    crashed?: number;
                };
            };
            agents: components["schemas"]["AgentAvailability"][];
            /** @description Effective configuration, secrets left out */
            config: {
                [key: string]: unknown;
            };
        };
        AgentAvailability: {
            name: string;
            command: string | null;
            /** @description The command (and script) resolve; null when unknown */
            available: boolean | null;
            problem: string | null;
        };
        CreatedApiKey: {
            key: components["schemas"]["ApiKey"];
            /** @description The plaintext key. Shown only in this response; store it now. */
            secret: string;
            /** @description This was the first key: zero-config local access is now off, and every request needs a key (this one is admin) */
            localAccessEnded: boolean;
            /** @description What changed, in words, when something did (the first key) */
            notice: string | null;
        };
        ApiKey: {
            id: string;
            name: string;
            role: components["schemas"]["ApiKeyRole"];
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
            createdAt: string;
            /** @description The key (or `local` / `bootstrap`) that created this one */
            createdBy: string | null;
            expiresAt: string | null;
            revokedAt: string | null;
            /** @description Updated at most once a minute */
            lastUsedAt: string | null;
            /** @description Until when the secret replaced by the last rotation works */
            rotationGraceEndsAt: string | null;
        };
        /** @enum {string} */
        ApiKeyRole: "admin" | "operator" | "viewer";
        CreateApiKeyRequest: {
            name: string;
            role?: components["schemas"]["ApiKeyRole"];
            /**
             * Format: date-time
             * @description When the key stops working; default never
             */
            expiresAt?: string;
            /** @description Alternative to expiresAt */
            expiresInSeconds?: number;
        };
        ApiKeyList: {
            keys: components["schemas"]["ApiKey"][];
        };
        ApiKeySecret: {
            key: components["schemas"]["ApiKey"];
            /** @description The plaintext key. Shown only in this response; store it now. */
            secret: string;
        };
        RotateApiKeyRequest: {
            /** @description How long the old secret keeps working; default 3600 */
            gracePeriodSeconds?: number;
        };
        SseToken: {
            /** @description Pass as ?token= to the event stream; single use */
            token: string;
            expiresAt: string;
            sessionId: string | null;
        };
        SseTokenRequest: {
            /** @description Limit the token to this session’s stream; omit for the global stream (admins) */
            sessionId?: string;
        };
        AuditPage: {
            records: components["schemas"]["AuditRecord"][];
            /** @description Pass as ?after= for the next page; null at the end. A page ends at `limit` records or at `maxBytes`, whichever comes first. */
            nextAfter: number | null;
            verification?: components["schemas"]["AuditVerification"];
        };
        AuditRecord: {
            id: number;
            at: string;
            /** @description API key id, `local`, `bootstrap` or `policy`; null when unauthenticated */
            actorId: string | null;
            actorRole: string | null;
            /** @description The operationId, `permission.policy`, or `sandbox.egress` (a connection attempt out of a sandboxed session: outcome `allowed`, `refused` or `failed`) */
            action: string;
            /** @description Session id, key id or path */
            target: string | null;
            /** @description HTTP status, or the option kind a policy chose */
            outcome: string;
            details: {
                [key: string]: unknown;
            } | null;
            prevHash: string | null;
            /** @description SHA-256 (hex) over the canonical JSON of the other fields and prevHash */
            hash: string;
        };
        AuditVerification: {
            ok: boolean;
            /** @description Records verified before the first broken one (or all) */
            checked: number;
            firstBroken: {
                /** @description The first record that does not hold; for id_gap and head_mismatch, the first missing id */
                id: number;
                /**
                 * @description hash_mismatch: the record was edited; prev_hash_mismatch: it does not link to the one before; id_gap: records were deleted; head_mismatch: the chain does not end at the anchor written with the last append (the newest records were deleted)
                 * @enum {string}
                 */
                reason: "hash_mismatch" | "prev_hash_mismatch" | "id_gap" | "head_mismatch";
            } | null;
        };
        OidcSettings: {
            /** @description Whether people can sign in with the identity provider */
            enabled: boolean;
            issuer: string | null;
            /** @description The public client `ag login` uses (device flow) */
            cliClientId: string | null;
            scopes: string | null;
            audience: string | null;
            /** @description Whether the dashboard offers "Sign in with SSO" */
            sso: boolean;
        };
        Whoami: {
            /** @description The owner id of what this caller creates (`oidc:<subject>` for a person) */
            id: string;
            /** @enum {string} */
            kind: "person" | "key" | "bootstrap" | "local";
            role: string | null;
            /** @description The person's name, or the key's name */
            name: string | null;
            email: string | null;
            /** @description The identity provider's subject (`sub`) */
            subject: string | null;
            /** @description When this credential stops working by itself */
            expiresAt: string | null;
            /** @enum {string} */
            via: "token" | "cookie" | "none";
            /** @description For a dashboard sign-in (cookie): send it as `x-aegis-csrf` on every POST/PUT/PATCH/DELETE */
            csrfToken: string | null;
        };
        Person: {
            id: string;
            subject: string;
            email: string | null;
            name: string | null;
            role: string | null;
            lastSeenAt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    listNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Nodes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodesResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    batchCreateSessions: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchCreateRequest"];
            };
        };
        responses: {
            /** @description Per-item outcomes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchCreateResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    batchDeleteSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchDeleteRequest"];
            };
        };
        responses: {
            /** @description Per-item outcomes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDeleteResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Page number, from 1 */
                page?: number;
                /** @description Sessions per page (1–100, default 20) */
                limit?: number;
                /** @description Comma-separated states. The names of the earlier Aegis documents work too: `active` (every state of a live session), `ask_question` (asking), `bash_approval` and `plan_mode` (permission_prompt) */
                status?: string;
                workDir?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            /** @description An idle session was reused */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description A new session was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The agent failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDetail"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    killSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The killed session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSessionRequest"];
            };
        };
        responses: {
            /** @description The session with its new budget */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Delivered or queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    approvePermission: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PermissionAnswerRequest"];
            };
        };
        responses: {
            /** @description Answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionAnswerResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    rejectPermission: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PermissionAnswerRequest"];
            };
        };
        responses: {
            /** @description Answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionAnswerResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    interruptSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Interrupted (or nothing was running) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InterruptResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    setMode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModeRequest"];
            };
        };
        responses: {
            /** @description The session in its new mode */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    readSession: {
        parameters: {
            query?: {
                /** @description The `cursor` of the previous read; 0 = from the start */
                cursor?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description New entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getTranscriptPage: {
        parameters: {
            query?: {
                before_id?: number;
                limit?: number;
                role?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: {
                /** @description First UTC day, YYYY-MM-DD (default: 29 days before `to`) */
                from?: string;
                /** @description Last UTC day, inclusive (default: today) */
                to?: string;
                /** @description Comma-separated: day, key, template, model, session, workDir (`key` is the API key id that owns the session). Default `day` */
                groupBy?: string;
                /** @description `csv` (or `Accept: text/csv`): one row per group */
                format?: "json" | "csv";
                /** @description Most groups (the costliest first when grouped by session); default 1000 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Groups and totals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                    "text/csv": string;
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAnalyticsSummary: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsSummary"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAnalyticsCosts: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Costs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsCosts"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAnalyticsTokens: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsTokens"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAnalyticsRateLimits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Quota use */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsRateLimits"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    streamSessionEvents: {
        parameters: {
            query?: {
                /** @description Resume after this id (same as Last-Event-ID) */
                after?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Event stream. Each SSE frame: `id:` = seq (per session) or id (global), `event:` = the event type, `data:` = one AegisEvent as JSON. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AegisEvent"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Resume after this id (same as Last-Event-ID) */
                after?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Event stream. Each SSE frame: `id:` = seq (per session) or id (global), `event:` = the event type, `data:` = one AegisEvent as JSON. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AegisEvent"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Templates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateList"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getMemory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–256 characters of A-Z a-z 0-9 . _ : / - (URL-encode the slashes) */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryEntry"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    setMemory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–256 characters of A-Z a-z 0-9 . _ : / - (URL-encode the slashes) */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetMemoryRequest"];
            };
        };
        responses: {
            /** @description The stored entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryEntry"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteMemory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1–256 characters of A-Z a-z 0-9 . _ : / - (URL-encode the slashes) */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryDeleted"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listMemory: {
        parameters: {
            query?: {
                prefix?: string;
                /** @description Default 100 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Entries sorted by key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    setMemoryEntry: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Any JSON value, at most 65536 bytes serialized */
                    value?: unknown;
                    /** @description Seconds until the entry expires; omit to keep it until deleted */
                    ttlSec?: number;
                    key: string;
                };
            };
        };
        responses: {
            /** @description The stored entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemoryEntry"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listPipelines: {
        parameters: {
            query?: {
                page?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pipelines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelineList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createPipeline: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePipelineRequest"];
            };
        };
        responses: {
            /** @description Created; stages without dependencies are starting */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pipeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listRoutines: {
        parameters: {
            query?: {
                page?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of routines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoutineList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoutineRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    previewRoutineSchedule: {
        parameters: {
            query: {
                schedule: string;
                timezone?: string;
                count?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Due times */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoutinePreview"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The routine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted routine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoutineRequest"];
            };
        };
        responses: {
            /** @description The routine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    pauseRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The routine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    resumeRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The routine */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Routine"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    runRoutine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoutineRun"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listRoutineRuns: {
        parameters: {
            query?: {
                page?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoutineRunList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSessionHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Session health: agent alive, last activity, idle/stalled time, what to do next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionHealth"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSessionSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the session did: turns, tool calls by status, files touched, permission decisions, last message, usage */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionSummary"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSessionMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Session metrics: event counts by type, tokens, cost, turn durations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionMetrics"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSessionLatency: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Latency percentiles (p50/p95/max): turns, time to first token, permission and question waits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionLatency"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    answerQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AnswerQuestionRequest"];
            };
        };
        responses: {
            /** @description Answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnswerQuestionResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    escapeSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Dismissed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EscapeResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    discoverCommands: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The commands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoverCommandsResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Channels */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelList"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    testChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What happened */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelTestResult"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    telegramWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Taken */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    slackInteractivity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Taken */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getPermissionPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyList"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    setPermissionPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetPoliciesRequest"];
            };
        };
        responses: {
            /** @description The new rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    handshake: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HandshakeRequest"];
            };
        };
        responses: {
            /** @description Negotiated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandshakeResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getDiagnostics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Diagnostics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiagnosticsResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    sendInput: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Delivered or queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    sendPrompt: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Delivered or queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getMetricsV1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    capturePane: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not supported by this server (the message says what to use instead) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    takeScreenshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not supported by this server (the message says what to use instead) */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every key, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The new key and its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The key and its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeySecret"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createSseToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SseTokenRequest"];
            };
        };
        responses: {
            /** @description The token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SseToken"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    queryAudit: {
        parameters: {
            query?: {
                /** @description Actor id (API key id, `local`, ...) */
                actor?: string;
                /** @description operationId, e.g. createSession */
                action?: string;
                /** @description Records whose target is this session */
                sessionId?: string;
                /** @description Inclusive lower bound on `at` */
                from?: string;
                /** @description Inclusive upper bound on `at` */
                to?: string;
                /** @description Only records with id > after (paging cursor) */
                after?: number;
                /** @description Default 1000 */
                limit?: number;
                /** @description Stop the page once its records take this many bytes as JSON (default and most 1048576); a page always holds at least one record. `nextAfter` (and the X-Next-After header) says where the next page starts. */
                maxBytes?: number;
                /** @description Default json */
                format?: "json" | "csv" | "ndjson";
                /** @description true: also walk the whole chain and report the first broken record */
                verify?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of records */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getOidcSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sign-in settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OidcSettings"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getWhoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Whoami"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listPeople: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The people, most recently seen first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        people: components["schemas"]["Person"][];
                    };
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}

/** Every value of `SessionStatus`, in the spec's order. */
export const sessionStatusValues = ["pending", "idle", "working", "permission_prompt", "asking", "stalled", "rate_limit", "error", "completed", "killed", "crashed"] as const satisfies readonly components['schemas']['SessionStatus'][];
/** Every value of `PermissionMode`, in the spec's order. */
export const permissionModeValues = ["default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "auto"] as const satisfies readonly components['schemas']['PermissionMode'][];
/** Every value of `ToolKind`, in the spec's order. */
export const toolKindValues = ["read", "edit", "delete", "move", "search", "execute", "think", "fetch", "switch_mode", "other"] as const satisfies readonly components['schemas']['ToolKind'][];
/** Every value of `PermissionOptionKind`, in the spec's order. */
export const permissionOptionKindValues = ["allow_once", "allow_always", "reject_once", "reject_always"] as const satisfies readonly components['schemas']['PermissionOptionKind'][];
/** Every value of `BudgetLimit`, in the spec's order. */
export const budgetLimitValues = ["maxCostUsd", "maxTokens", "maxTurns", "maxDurationMs"] as const satisfies readonly components['schemas']['BudgetLimit'][];
/** Every value of `SessionAction`, in the spec's order. */
export const sessionActionValues = ["send", "interrupt", "approve", "reject", "answer", "escape", "mode", "kill"] as const satisfies readonly components['schemas']['SessionAction'][];
/** Every value of `TranscriptRole`, in the spec's order. */
export const transcriptRoleValues = ["user", "assistant", "thought", "tool", "permission", "plan", "system"] as const satisfies readonly components['schemas']['TranscriptRole'][];
/** Every value of `StopReason`, in the spec's order. */
export const stopReasonValues = ["end_turn", "max_tokens", "max_turn_requests", "refusal", "cancelled"] as const satisfies readonly components['schemas']['StopReason'][];
/** Every value of `ToolStatus`, in the spec's order. */
export const toolStatusValues = ["pending", "in_progress", "completed", "failed"] as const satisfies readonly components['schemas']['ToolStatus'][];
/** Every value of `PipelineStatus`, in the spec's order. */
export const pipelineStatusValues = ["running", "completed", "failed"] as const satisfies readonly components['schemas']['PipelineStatus'][];
/** Every value of `PipelineStageStatus`, in the spec's order. */
export const pipelineStageStatusValues = ["pending", "running", "completed", "failed", "skipped"] as const satisfies readonly components['schemas']['PipelineStageStatus'][];
/** Every value of `RoutineOverlap`, in the spec's order. */
export const routineOverlapValues = ["skip", "queue", "allow"] as const satisfies readonly components['schemas']['RoutineOverlap'][];
/** Every value of `RoutineCatchUp`, in the spec's order. */
export const routineCatchUpValues = ["none", "latest", "all"] as const satisfies readonly components['schemas']['RoutineCatchUp'][];
/** Every value of `RoutineRunOutcome`, in the spec's order. */
export const routineRunOutcomeValues = ["running", "queued", "completed", "failed", "skipped"] as const satisfies readonly components['schemas']['RoutineRunOutcome'][];
/** Every value of `ApiKeyRole`, in the spec's order. */
export const apiKeyRoleValues = ["admin", "operator", "viewer"] as const satisfies readonly components['schemas']['ApiKeyRole'][];
