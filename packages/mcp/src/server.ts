import type { AegisClient } from '@aegis/client';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { call } from './tool-result.js';
import { MCP_VERSION } from './version.js';
import { registerWaitForState } from './wait-for-state.js';

const MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto'] as const;

/** An MCP server exposing Aegis sessions as tools, backed by the HTTP API. */
export function createAegisMcpServer(client: AegisClient, version = MCP_VERSION): McpServer {
  const server = new McpServer({ name: 'aegis', version });
  const id = { sessionId: z.string().describe('Session id from create_session or list_sessions') };

  server.registerTool(
    'create_session',
    {
      description:
        'Start a coding agent (Claude Code by default) in a folder, optionally with a first prompt. Reuses an idle session in the same folder.',
      inputSchema: {
        workDir: z.string().describe('Absolute path of the folder to work in'),
        prompt: z.string().optional().describe('What the agent should do first'),
        name: z.string().optional(),
        permissionMode: z.enum(MODES).optional(),
        model: z.string().optional(),
        agent: z.string().optional().describe('A configured ACP agent (default: the server default)'),
        env: z
          .record(z.string(), z.string())
          .optional()
          .describe('Extra environment variables for the agent process'),
        parentId: z.string().optional().describe('The session that started this one'),
      },
    },
    (args) => call(() => client.createSession(args)),
  );
  server.registerTool(
    'list_sessions',
    {
      description:
        'List sessions, newest first, optionally filtered by state and folder; page through with page and limit (the result carries total).',
      inputSchema: {
        status: z.string().optional().describe('Comma-separated states, e.g. "permission_prompt,idle"'),
        workDir: z.string().optional().describe('Only sessions in this folder (absolute path)'),
        page: z.number().int().min(1).optional().describe('Page number, from 1'),
        limit: z.number().int().min(1).max(100).optional().describe('Sessions per page (1–100, default 20)'),
      },
    },
    (args) => call(() => client.listSessions(args)),
  );
  server.registerTool(
    'get_status',
    { description: 'Get a session: state, pending permission request, usage.', inputSchema: id },
    (args) => call(() => client.getSession(args.sessionId)),
  );
  server.registerTool(
    'send_message',
    {
      description: 'Send a follow-up prompt. Queued in order if a turn is running.',
      inputSchema: { ...id, text: z.string() },
    },
    (args) => call(() => client.sendMessage(args.sessionId, { text: args.text })),
  );
  const answer = {
    ...id,
    optionId: z
      .string()
      .optional()
      .describe("Pick one of the request's options explicitly (its optionId, see get_status)"),
    scope: z.enum(['once', 'always']).optional(),
  };
  const answerBody = ({
    optionId,
    scope,
  }: {
    optionId?: string | undefined;
    scope?: 'once' | 'always' | undefined;
  }) => ({
    ...(optionId ? { optionId } : {}),
    ...(scope ? { scope } : {}),
  });
  server.registerTool(
    'approve_permission',
    {
      description:
        'Approve the pending permission request (scope "always" allows this kind for the session; optionId picks an offered option).',
      inputSchema: answer,
    },
    (args) => call(() => client.approvePermission(args.sessionId, answerBody(args))),
  );
  server.registerTool(
    'reject_permission',
    {
      description:
        'Reject the pending permission request (scope "always" rejects this kind for the session).',
      inputSchema: answer,
    },
    (args) => call(() => client.rejectPermission(args.sessionId, answerBody(args))),
  );
  server.registerTool(
    'get_transcript',
    {
      description: 'Read transcript entries after a cursor you hold (0 = from the start).',
      inputSchema: { ...id, cursor: z.number().int().min(0).optional() },
    },
    (args) => call(() => client.readSession(args.sessionId, { cursor: args.cursor ?? 0 })),
  );
  server.registerTool(
    'interrupt_session',
    { description: 'Cancel the running turn.', inputSchema: id },
    (args) => call(() => client.interruptSession(args.sessionId)),
  );
  server.registerTool(
    'kill_session',
    { description: 'Stop a session for good (kept for audit).', inputSchema: id },
    (args) => call(() => client.killSession(args.sessionId)),
  );
  registerWaitForState(server, client, call);
  server.registerTool(
    'server_health',
    { description: 'Check that the Aegis server is up.', inputSchema: {} },
    () => call(() => client.getHealth()),
  );

  const sessionSpec = z.object({
    workDir: z.string().describe('Absolute path of the folder to work in'),
    prompt: z.string().optional(),
    name: z.string().optional(),
    permissionMode: z.enum(MODES).optional(),
    model: z.string().optional(),
    templateId: z.string().optional().describe('Start from a template (see list_templates)'),
    variables: z.record(z.string(), z.string()).optional().describe('Values for the template placeholders'),
  });
  server.registerTool(
    'batch_create_sessions',
    {
      description:
        'Start up to 50 sessions at once. Each item succeeds or fails on its own; the result lists them in order.',
      inputSchema: { sessions: z.array(sessionSpec).min(1).max(50) },
    },
    (args) => call(() => client.batchCreateSessions(args)),
  );
  server.registerTool(
    'list_templates',
    {
      description:
        'List session templates (built-ins code-reviewer, ci-runner, pr-reviewer, docs-writer, plus your own) with their prompt variables.',
      inputSchema: {},
    },
    () => call(() => client.listTemplates()),
  );
  server.registerTool(
    'create_session_from_template',
    {
      description:
        'Start a session from a template, filling its {{variables}}. Fields given here override the template.',
      inputSchema: {
        templateId: z.string().describe('Template id or name, e.g. "code-reviewer"'),
        workDir: z.string().describe('Absolute path of the folder to work in'),
        variables: z.record(z.string(), z.string()).optional(),
        prompt: z.string().optional().describe("Replaces the template's prompt"),
        name: z.string().optional(),
      },
    },
    (args) => call(() => client.createSession(args)),
  );
  server.registerTool(
    'create_pipeline',
    {
      description:
        "Run sessions as stages: a stage starts when every stage in its dependsOn has completed (its session's first turn ended). A failed stage skips its dependents. Poll get_pipeline for progress.",
      inputSchema: {
        name: z.string(),
        stages: z
          .array(
            z.object({
              name: z.string(),
              spec: sessionSpec,
              dependsOn: z.array(z.string()).optional(),
            }),
          )
          .min(1)
          .max(50),
      },
    },
    (args) => call(() => client.createPipeline(args)),
  );
  server.registerTool(
    'list_pipelines',
    { description: 'List your pipelines, newest first, with stage statuses.', inputSchema: {} },
    () => call(() => client.listPipelines()),
  );
  server.registerTool(
    'get_pipeline',
    {
      description: "Get a pipeline and each stage's status, session id and error.",
      inputSchema: { pipelineId: z.string() },
    },
    (args) => call(() => client.getPipeline(args.pipelineId)),
  );
  const key = z.string().describe('1–256 characters of A-Z a-z 0-9 . _ : / -, e.g. "project/x:notes"');
  server.registerTool(
    'memory_set',
    {
      description: 'Store a JSON value under a key, shared with every session on this server; optional TTL.',
      inputSchema: {
        key,
        value: z.json().describe('Any JSON value (required; null is a value)'),
        ttlSec: z.number().int().min(1).optional(),
      },
    },
    (args) => call(() => client.setMemory(args.key, { value: args.value, ttlSec: args.ttlSec })),
  );
  server.registerTool('memory_get', { description: 'Read a memory entry.', inputSchema: { key } }, (args) =>
    call(() => client.getMemory(args.key)),
  );
  server.registerTool(
    'memory_list',
    {
      description: 'List memory entries whose key starts with a prefix, by key.',
      inputSchema: { prefix: z.string().optional(), limit: z.number().int().min(1).max(1000).optional() },
    },
    (args) => call(() => client.listMemory(args)),
  );
  server.registerTool(
    'memory_delete',
    { description: 'Delete a memory entry.', inputSchema: { key } },
    (args) => call(() => client.deleteMemory(args.key)),
  );
  registerControlTools(server, client, id);
  registerAuditTool(server, client);
  registerResourcesAndPrompts(server, client);
  return server;
}

/** The tamper-evident audit trail (admin credentials). */
function registerAuditTool(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'audit_query',
    {
      description:
        'Search the audit trail: who did what (every API call that changed something, and every permission answer a policy gave), oldest first. Filter by actor, action (an API operationId such as createSession, approvePermission, killSession, or permission.policy), session and time. Page with after = the nextAfter of the previous result (null means no more). verify: true also checks the hash chain and reports the first tampered record. Needs an admin token (FORBIDDEN otherwise).',
      inputSchema: {
        actor: z
          .string()
          .max(200)
          .optional()
          .describe('Actor id: an API key id, "local", "bootstrap" or "policy"'),
        action: z
          .string()
          .max(200)
          .optional()
          .describe('operationId, e.g. "createSession", "approvePermission", or "permission.policy"'),
        sessionId: z.string().max(100).optional().describe('Only records about this session'),
        from: z.iso
          .datetime()
          .optional()
          .describe('ISO 8601 time, inclusive lower bound, e.g. 2025-01-31T00:00:00Z'),
        to: z.iso.datetime().optional().describe('ISO 8601 time, inclusive upper bound'),
        after: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Paging cursor: the nextAfter of the previous page'),
        limit: z.number().int().min(1).max(10_000).default(100).describe('Records per page (default 100)'),
        verify: z.boolean().optional().describe('true: also verify the whole hash chain'),
      },
    },
    (args) =>
      call(() => {
        const { verify, ...filters } = args;
        return client.queryAudit({
          ...filters,
          ...(verify === undefined ? {} : { verify: verify ? 'true' : 'false' }),
        });
      }),
  );
}

type IdShape = { sessionId: z.ZodString };

/** Insight and control tools: summary, metrics, latency, commands, questions, escape, mode. */
function registerControlTools(server: McpServer, client: AegisClient, id: IdShape): void {
  server.registerTool(
    'get_session_summary',
    {
      description:
        'What a session did: turns, tool calls by status, files touched, permission decisions, last assistant message, usage and cost.',
      inputSchema: id,
    },
    (args) => call(() => client.getSessionSummary(args.sessionId)),
  );
  server.registerTool(
    'get_session_metrics',
    { description: 'Event counts by type, tokens, cost and turn durations of a session.', inputSchema: id },
    (args) => call(() => client.getSessionMetrics(args.sessionId)),
  );
  server.registerTool(
    'get_session_latency',
    {
      description: 'p50/p95/max of turn duration, time to first token and permission/question waits.',
      inputSchema: id,
    },
    (args) => call(() => client.getSessionLatency(args.sessionId)),
  );
  server.registerTool(
    'discover_commands',
    { description: "The agent's slash commands (use send_command to run one).", inputSchema: id },
    (args) => call(() => client.discoverCommands(args.sessionId)),
  );
  server.registerTool(
    'answer_question',
    {
      description:
        'Answer the question the agent asked (session state "asking"): an option label/value or free text for the first question, or answers keyed by question id.',
      inputSchema: {
        ...id,
        answer: z.string().optional(),
        answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      },
    },
    (args) =>
      call(() =>
        client.answerQuestion(args.sessionId, {
          ...(args.answer !== undefined ? { answer: args.answer } : {}),
          ...(args.answers ? { answers: args.answers } : {}),
        }),
      ),
  );
  server.registerTool(
    'escape_session',
    {
      description:
        'Dismiss the pending question (declined) or permission request (rejected) without cancelling the turn.',
      inputSchema: id,
    },
    (args) => call(() => client.escapeSession(args.sessionId)),
  );
  server.registerTool(
    'set_mode',
    {
      description: "Switch the agent's permission mode (e.g. acceptEdits: edits need no approval).",
      inputSchema: {
        ...id,
        mode: z.enum(MODES),
      },
    },
    (args) => call(() => client.setMode(args.sessionId, { mode: args.mode })),
  );
  server.registerTool(
    'send_command',
    {
      description:
        'Run one of the agent\'s slash commands (see discover_commands), sent as a prompt "/name args".',
      inputSchema: {
        ...id,
        command: z.string().describe('Command name, with or without the leading slash'),
        args: z.string().optional(),
      },
    },
    (args) =>
      call(() => {
        const name = args.command.replace(/^\//, '');
        return client.sendMessage(args.sessionId, { text: `/${name}${args.args ? ` ${args.args}` : ''}` });
      }),
  );
}

const asJson = (uri: string, data: unknown) => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data, null, 2) }],
});

/** Resources (sessions, a transcript, health) and prompts for common orchestration jobs. */
function registerResourcesAndPrompts(server: McpServer, client: AegisClient): void {
  server.registerResource(
    'sessions',
    'aegis://sessions',
    { description: 'Sessions, newest first (first 100)', mimeType: 'application/json' },
    async (uri) => asJson(uri.href, await client.listSessions({ limit: 100 })),
  );
  server.registerResource(
    'session-transcript',
    new ResourceTemplate('aegis://sessions/{id}/transcript', { list: undefined }),
    { description: "A session's latest transcript entries (up to 200)", mimeType: 'application/json' },
    async (uri, vars) => {
      const sid = String(Array.isArray(vars.id) ? vars.id[0] : vars.id);
      return asJson(uri.href, await client.getTranscriptPage(sid, { limit: 200 }));
    },
  );
  server.registerResource(
    'health',
    'aegis://health',
    {
      description: 'Server health: version, uptime, sessions by state, agent availability',
      mimeType: 'application/json',
    },
    async (uri) => asJson(uri.href, await client.getHealth()),
  );

  const user = (text: string) => ({
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
  });
  server.registerPrompt(
    'implement_issue',
    {
      description: 'Have a Claude Code session implement an issue in a repository, approving what it needs.',
      argsSchema: { workDir: z.string(), issue: z.string().describe('The issue text or a link to it') },
    },
    (args) =>
      user(
        `Use the Aegis tools to implement this issue in ${args.workDir}.\n\n${args.issue}\n\nSteps: create_session with workDir "${args.workDir}" and a prompt that states the issue, asks for tests, and asks to run them. Then wait_for_state for idle, permission_prompt or asking; review each pending permission (approve_permission for edits inside the repo and test commands, reject_permission otherwise) and answer questions with answer_question. When idle, call get_session_summary and report the files touched, test results and cost.`,
      ),
  );
  server.registerPrompt(
    'review_pr',
    {
      description:
        'Have a session review a branch or pull request read-only (plan mode) and report findings.',
      argsSchema: { workDir: z.string(), target: z.string().describe('Branch, commit range or PR link') },
    },
    (args) =>
      user(
        `Use the Aegis tools to review ${args.target} in ${args.workDir}. create_session with permissionMode "plan" and a prompt asking for a review of ${args.target}: correctness, tests, security and style, each finding with file and line. wait_for_state for idle (reject any permission request: a review changes nothing). Then get_transcript and summarise the findings by severity.`,
      ),
  );
  server.registerPrompt(
    'debug_session',
    {
      description: 'Diagnose a stuck or failed session and suggest the next call.',
      argsSchema: { sessionId: z.string() },
    },
    (args) =>
      user(
        `Diagnose Aegis session ${args.sessionId}. Call get_status, get_session_summary and get_session_latency, and read the resource aegis://sessions/${args.sessionId}/transcript. Explain the state (problem, pending permission or question, stall, rate limit, crash and its stderr) and recommend the next tool call (approve_permission, answer_question, escape_session, interrupt_session, send_message, or create_session for a crashed one).`,
      ),
  );
}
