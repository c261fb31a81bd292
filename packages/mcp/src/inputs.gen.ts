// Generated from openapi.json by scripts/gen.mjs (scripts/gen-mcp-inputs.mjs) — do not edit.
import { z } from 'zod';

/** The JSON body of `batchCreateSessions`, field by field (pick from it for a tool's input). */
export const batchCreateSessionsBody = {
  sessions: z.array(z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") })).min(1).max(50),
};

/** The JSON body of `batchDeleteSessions`, field by field (pick from it for a tool's input). */
export const batchDeleteSessionsBody = {
  ids: z.array(z.string().min(1).max(100)).min(1).max(50),
};

/** The query parameters of `listSessions`, field by field (pick from it for a tool's input). */
export const listSessionsQuery = {
  page: z.number().int().min(1).max(1000000).optional().describe("Page number, from 1"),
  limit: z.number().int().min(1).max(100).optional().describe("Sessions per page (1–100, default 20)"),
  status: z.string().max(500).optional().describe("Comma-separated states. The names of the earlier Aegis documents work too: `active` (every state of a live session), `ask_question` (asking), `bash_approval` and `plan_mode` (permission_prompt)"),
  workDir: z.string().max(4096).optional(),
};

/** The JSON body of `createSession`, field by field (pick from it for a tool's input). */
export const createSessionBody = {
  workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"),
  name: z.string().max(200).optional(),
  prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"),
  permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(),
  model: z.string().max(200).optional(),
  agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"),
  env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"),
  parentId: z.string().max(100).optional(),
  policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"),
  templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"),
  variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"),
  sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"),
  budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"),
  reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session."),
};

/** The JSON body of `updateSession`, field by field (pick from it for a tool's input). */
export const updateSessionBody = {
  budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).nullable().describe("The new budget, replacing the old one (`null`: no limits). Limits may not be negative"),
};

/** The JSON body of `sendMessage`, field by field (pick from it for a tool's input). */
export const sendMessageBody = {
  text: z.string().min(1).max(100000),
};

/** The JSON body of `approvePermission`, field by field (pick from it for a tool's input). */
export const approvePermissionBody = {
  optionId: z.string().max(200).optional().describe("Pick an offered option explicitly"),
  scope: z.enum(["once","always"]).optional().describe("always → the allow_always / reject_always option"),
};

/** The JSON body of `rejectPermission`, field by field (pick from it for a tool's input). */
export const rejectPermissionBody = {
  optionId: z.string().max(200).optional().describe("Pick an offered option explicitly"),
  scope: z.enum(["once","always"]).optional().describe("always → the allow_always / reject_always option"),
};

/** The JSON body of `setMode`, field by field (pick from it for a tool's input). */
export const setModeBody = {
  mode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]),
};

/** The query parameters of `readSession`, field by field (pick from it for a tool's input). */
export const readSessionQuery = {
  cursor: z.number().int().min(0).optional().describe("The `cursor` of the previous read; 0 = from the start"),
  limit: z.number().int().min(1).max(1000).optional(),
};

/** The query parameters of `getTranscriptPage`, field by field (pick from it for a tool's input). */
export const getTranscriptPageQuery = {
  before_id: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(200).optional(),
  role: z.string().max(200).optional(),
};

/** The query parameters of `getUsage`, field by field (pick from it for a tool's input). */
export const getUsageQuery = {
  from: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional().describe("First UTC day, YYYY-MM-DD (default: 29 days before `to`)"),
  to: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional().describe("Last UTC day, inclusive (default: today)"),
  groupBy: z.string().max(100).optional().describe("Comma-separated: day, key, template, model, session, workDir (`key` is the API key id that owns the session). Default `day`"),
  format: z.enum(["json","csv"]).optional().describe("`csv` (or `Accept: text/csv`): one row per group"),
  limit: z.string().max(5).regex(new RegExp("^\\d{1,5}$")).optional().describe("Most groups (the costliest first when grouped by session); default 1000"),
};

/** The query parameters of `getAnalyticsSummary`, field by field (pick from it for a tool's input). */
export const getAnalyticsSummaryQuery = {
  from: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
  to: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
};

/** The query parameters of `getAnalyticsCosts`, field by field (pick from it for a tool's input). */
export const getAnalyticsCostsQuery = {
  from: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
  to: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
};

/** The query parameters of `getAnalyticsTokens`, field by field (pick from it for a tool's input). */
export const getAnalyticsTokensQuery = {
  from: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
  to: z.string().max(10).regex(new RegExp("^\\d{4}-\\d{2}-\\d{2}$")).optional(),
};

/** The query parameters of `streamSessionEvents`, field by field (pick from it for a tool's input). */
export const streamSessionEventsQuery = {
  after: z.number().int().min(0).optional().describe("Resume after this id (same as Last-Event-ID)"),
};

/** The query parameters of `streamEvents`, field by field (pick from it for a tool's input). */
export const streamEventsQuery = {
  after: z.number().int().min(0).optional().describe("Resume after this id (same as Last-Event-ID)"),
};

/** The JSON body of `createTemplate`, field by field (pick from it for a tool's input). */
export const createTemplateBody = {
  name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")),
  description: z.string().max(2000).optional(),
  prompt: z.string().max(100000).optional().describe("First prompt; `{{name}}` placeholders are filled from `variables`, `{{name|default}}` has a fallback"),
  permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(),
  model: z.string().max(200).optional(),
  agent: z.string().max(100).optional(),
  env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"),
  sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Sessions from this template run sandboxed (see the session `sandbox`)"),
  budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits of sessions from this template (a create request may give its own)"),
};

/** The JSON body of `updateTemplate`, field by field (pick from it for a tool's input). */
export const updateTemplateBody = {
  name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")),
  description: z.string().max(2000).optional(),
  prompt: z.string().max(100000).optional().describe("First prompt; `{{name}}` placeholders are filled from `variables`, `{{name|default}}` has a fallback"),
  permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(),
  model: z.string().max(200).optional(),
  agent: z.string().max(100).optional(),
  env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"),
  sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Sessions from this template run sandboxed (see the session `sandbox`)"),
  budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits of sessions from this template (a create request may give its own)"),
};

/** The JSON body of `setMemory`, field by field (pick from it for a tool's input). */
export const setMemoryBody = {
  value: z.json().optional().describe("Any JSON value, at most 65536 bytes serialized"),
  ttlSec: z.number().int().min(1).max(31536000).optional().describe("Seconds until the entry expires; omit to keep it until deleted"),
};

/** The query parameters of `listMemory`, field by field (pick from it for a tool's input). */
export const listMemoryQuery = {
  prefix: z.string().max(256).regex(new RegExp("^[A-Za-z0-9._:/-]*$")).optional(),
  limit: z.number().int().min(1).max(1000).optional().describe("Default 100"),
};

/** The JSON body of `setMemoryEntry`, field by field (pick from it for a tool's input). */
export const setMemoryEntryBody = {
  value: z.json().optional().describe("Any JSON value, at most 65536 bytes serialized"),
  ttlSec: z.number().int().min(1).max(31536000).optional().describe("Seconds until the entry expires; omit to keep it until deleted"),
  key: z.string().min(1).max(256).regex(new RegExp("^[A-Za-z0-9._:/-]+$")),
};

/** The query parameters of `listPipelines`, field by field (pick from it for a tool's input). */
export const listPipelinesQuery = {
  page: z.number().int().min(1).max(1000000).optional(),
  limit: z.number().int().min(1).max(100).optional(),
};

/** The JSON body of `createPipeline`, field by field (pick from it for a tool's input). */
export const createPipelineBody = {
  name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")),
  stages: z.array(z.object({ name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")), spec: z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") }).describe("The stage session; `templateId` + `variables` work as in createSession"), dependsOn: z.array(z.string().max(100)).max(50).optional().describe("Stages that must complete before this one starts") })).min(1).max(50),
};

/** The query parameters of `listRoutines`, field by field (pick from it for a tool's input). */
export const listRoutinesQuery = {
  page: z.number().int().min(1).max(1000000).optional(),
  limit: z.number().int().min(1).max(100).optional(),
};

/** The JSON body of `createRoutine`, field by field (pick from it for a tool's input). */
export const createRoutineBody = {
  name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")),
  schedule: z.string().min(1).max(200).describe("A cron expression (5 fields \"minute hour day month weekday\", or 6 with a leading seconds field; `@daily` and the like), an interval (`every 30s`, `every 5m`, `every 2h`, `every 1d`), or a one-off ISO-8601 time (read in `timezone` when it has no offset)"),
  timezone: z.string().min(1).max(100).optional().describe("IANA time zone the schedule is read in; default UTC"),
  target: z.union([z.strictObject({ session: z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") }).describe("A createSession body") }).describe("Start a session"), z.strictObject({ template: z.string().min(1).max(100).describe("A template id, or the name of a template you can see"), workDir: z.string().min(1).max(4096).describe("Where the session works"), prompt: z.string().max(100000).optional().describe("Overrides the template prompt"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt") }).describe("Start a session from a template (400 at create when it does not exist; a failed run if it is deleted later)"), z.strictObject({ pipeline: z.object({ name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")), stages: z.array(z.object({ name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")), spec: z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") }).describe("The stage session; `templateId` + `variables` work as in createSession"), dependsOn: z.array(z.string().max(100)).max(50).optional().describe("Stages that must complete before this one starts") })).min(1).max(50) }).describe("A createPipeline body") }).describe("Start a pipeline")]).describe("What each due time starts: exactly one of `session`, `template` or `pipeline`. Sessions start new (not reusing an idle one) unless the body says `reuse: true`"),
  overlap: z.enum(["skip","queue","allow"]).optional().describe("Default `skip`"),
  catchUp: z.enum(["none","latest","all"]).optional().describe("Default `latest`"),
  enabled: z.boolean().optional().describe("Default true; false creates it paused"),
};

/** The query parameters of `previewRoutineSchedule`, field by field (pick from it for a tool's input). */
export const previewRoutineScheduleQuery = {
  schedule: z.string().min(1).max(200),
  timezone: z.string().min(1).max(100).optional(),
  count: z.number().int().min(1).max(50).optional(),
};

/** The JSON body of `updateRoutine`, field by field (pick from it for a tool's input). */
export const updateRoutineBody = {
  name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")).optional(),
  schedule: z.string().min(1).max(200).optional().describe("A cron expression (5 fields \"minute hour day month weekday\", or 6 with a leading seconds field; `@daily` and the like), an interval (`every 30s`, `every 5m`, `every 2h`, `every 1d`), or a one-off ISO-8601 time (read in `timezone` when it has no offset)"),
  timezone: z.string().min(1).max(100).optional().describe("IANA time zone the schedule is read in; default UTC"),
  target: z.union([z.strictObject({ session: z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") }).describe("A createSession body") }).describe("Start a session"), z.strictObject({ template: z.string().min(1).max(100).describe("A template id, or the name of a template you can see"), workDir: z.string().min(1).max(4096).describe("Where the session works"), prompt: z.string().max(100000).optional().describe("Overrides the template prompt"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt") }).describe("Start a session from a template (400 at create when it does not exist; a failed run if it is deleted later)"), z.strictObject({ pipeline: z.object({ name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")), stages: z.array(z.object({ name: z.string().min(1).max(100).regex(new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$")), spec: z.object({ workDir: z.string().min(1).max(4096).describe("Absolute path of an existing directory inside the allowed directories"), name: z.string().max(200).optional(), prompt: z.string().max(100000).optional().describe("First prompt; delivered as soon as the agent is ready"), permissionMode: z.enum(["default","acceptEdits","plan","bypassPermissions","dontAsk","auto"]).optional(), model: z.string().max(200).optional(), agent: z.string().max(100).optional().describe("A configured ACP agent; default claude-code"), env: z.record(z.string(), z.string().max(10000)).optional().describe("Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400"), parentId: z.string().max(100).optional(), policies: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(100).optional().describe("Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask"), templateId: z.string().max(100).optional().describe("Start from a template (id, or the name of a template you can see); fields given here override the template"), variables: z.record(z.string(), z.string().max(100000)).optional().describe("Values for the `{{name}}` placeholders of the template prompt"), sandbox: z.strictObject({ enabled: z.boolean().optional().describe("Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes"), network: z.enum(["model","none"]).optional(), allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(), readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(), writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).optional().describe("Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, \"Sandboxed sessions\"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it"), budget: z.strictObject({ maxCostUsd: z.number().min(0).optional().describe("Most US dollars the session may spend (agent-reported cost, else the price table)"), maxTokens: z.number().int().min(0).optional().describe("Most tokens (input + output + cache) the session may use"), maxTurns: z.number().int().min(0).optional().describe("Most turns (prompts run)"), maxDurationMs: z.number().int().min(0).optional().describe("Most milliseconds the agent may spend working in turns, summed") }).optional().describe("Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s"), reuse: z.boolean().optional().describe("Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.") }).describe("The stage session; `templateId` + `variables` work as in createSession"), dependsOn: z.array(z.string().max(100)).max(50).optional().describe("Stages that must complete before this one starts") })).min(1).max(50) }).describe("A createPipeline body") }).describe("Start a pipeline")]).optional().describe("What each due time starts: exactly one of `session`, `template` or `pipeline`. Sessions start new (not reusing an idle one) unless the body says `reuse: true`"),
  overlap: z.enum(["skip","queue","allow"]).optional().describe("When a due time comes while the previous run is still going: `skip` it (recorded as a skipped run), `queue` it (starts when the previous run ends; at most 10 wait), or `allow` it to run beside"),
  catchUp: z.enum(["none","latest","all"]).optional().describe("Due times missed while no server ran: `none` fires none of them, `latest` fires the most recent one once, `all` fires each of them (the 10 most recent at most), oldest first"),
  enabled: z.boolean().optional(),
};

/** The query parameters of `listRoutineRuns`, field by field (pick from it for a tool's input). */
export const listRoutineRunsQuery = {
  page: z.number().int().min(1).max(1000000).optional(),
  limit: z.number().int().min(1).max(100).optional(),
};

/** The JSON body of `answerQuestion`, field by field (pick from it for a tool's input). */
export const answerQuestionBody = {
  answer: z.union([z.string().max(10000), z.array(z.string().max(10000)).max(100)]).optional().describe("Answer to the first question: an option's value or label, or free text where allowed"),
  answers: z.record(z.string(), z.union([z.string().max(10000), z.array(z.string().max(10000)).max(100)])).optional().describe("Answers keyed by question id (see `pendingQuestion.questions[].id`)"),
};

/** The JSON body of `setPermissionPolicies`, field by field (pick from it for a tool's input). */
export const setPermissionPoliciesBody = {
  rules: z.array(z.object({ name: z.string().min(1).max(100).describe("Recorded as `decidedBy.rule` on each decision"), decision: z.enum(["allow","deny","ask"]).describe("`ask` hands the request to a human"), toolKind: z.union([z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]), z.array(z.enum(["read","edit","delete","move","search","execute","think","fetch","switch_mode","other"]))]).optional(), titleGlob: z.string().max(500).optional().describe("Glob on the request title; `*` matches anything"), pathGlob: z.string().max(1000).optional().describe("Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across"), commandPattern: z.string().max(1000).optional().describe("Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000"), scope: z.enum(["once","always"]).optional().describe("For allow/deny: pick the always option when offered") })).max(500),
};

/** The JSON body of `handshake`, field by field (pick from it for a tool's input). */
export const handshakeBody = {
  protocolVersion: z.union([z.number().int().min(0).max(1000000), z.string().max(7).regex(new RegExp("^\\d{1,7}$"))]).describe("A whole number; `\"1\"` (a string, as the earlier Aegis documents send it) works too"),
  clientCapabilities: z.array(z.string().max(100)).max(200).optional(),
};

/** The JSON body of `sendInput`, field by field (pick from it for a tool's input). */
export const sendInputBody = {
  text: z.string().min(1).max(100000),
};

/** The JSON body of `sendPrompt`, field by field (pick from it for a tool's input). */
export const sendPromptBody = {
  text: z.string().min(1).max(100000),
};

/** The JSON body of `createApiKey`, field by field (pick from it for a tool's input). */
export const createApiKeyBody = {
  name: z.string().min(1).max(100),
  role: z.enum(["admin","operator","viewer"]).optional(),
  expiresAt: z.iso.datetime().optional().describe("When the key stops working; default never"),
  expiresInSeconds: z.number().int().min(60).max(315360000).optional().describe("Alternative to expiresAt"),
};

/** The JSON body of `rotateApiKey`, field by field (pick from it for a tool's input). */
export const rotateApiKeyBody = {
  gracePeriodSeconds: z.number().int().min(0).max(604800).optional().describe("How long the old secret keeps working; default 3600"),
};

/** The JSON body of `createSseToken`, field by field (pick from it for a tool's input). */
export const createSseTokenBody = {
  sessionId: z.string().min(1).max(100).optional().describe("Limit the token to this session’s stream; omit for the global stream (admins)"),
};

/** The query parameters of `queryAudit`, field by field (pick from it for a tool's input). */
export const queryAuditQuery = {
  actor: z.string().max(200).optional().describe("Actor id (API key id, `local`, ...)"),
  action: z.string().max(200).optional().describe("operationId, e.g. createSession"),
  sessionId: z.string().max(100).optional().describe("Records whose target is this session"),
  from: z.iso.datetime().optional().describe("Inclusive lower bound on `at`"),
  to: z.iso.datetime().optional().describe("Inclusive upper bound on `at`"),
  after: z.number().int().min(0).optional().describe("Only records with id > after (paging cursor)"),
  limit: z.number().int().min(1).max(10000).optional().describe("Default 1000"),
  maxBytes: z.number().int().min(4096).max(1048576).optional().describe("Stop the page once its records take this many bytes as JSON (default and most 1048576); a page always holds at least one record. `nextAfter` (and the X-Next-After header) says where the next page starts."),
  format: z.enum(["json","csv","ndjson"]).optional().describe("Default json"),
  verify: z.enum(["true","false"]).optional().describe("true: also walk the whole chain and report the first broken record"),
};
