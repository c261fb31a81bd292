import { AegisApiError, type AegisClient } from '@aegis/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const ok = (data: unknown): ToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
});

/** Runs a tool body, turning API errors into MCP tool errors that carry the error code. */
async function call(fn: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return ok(await fn());
  } catch (err) {
    const text =
      err instanceof AegisApiError
        ? `${err.code}: ${err.message}`
        : `AEGIS_UNREACHABLE: ${(err as Error).message}. Is the Aegis server running (ag serve)?`;
    return { content: [{ type: 'text', text }], isError: true };
  }
}

const STATES = [
  'pending',
  'idle',
  'working',
  'permission_prompt',
  'asking',
  'stalled',
  'rate_limit',
  'error',
  'completed',
  'killed',
  'crashed',
] as const;

/** An MCP server exposing Aegis sessions as tools, backed by the HTTP API. */
export function createAegisMcpServer(client: AegisClient, version = '0.1.0'): McpServer {
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
        permissionMode: z
          .enum(['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto'])
          .optional(),
        model: z.string().optional(),
      },
    },
    (args) => call(() => client.createSession(args)),
  );
  server.registerTool(
    'list_sessions',
    {
      description: 'List sessions, newest first, optionally filtered by state.',
      inputSchema: {
        status: z.string().optional().describe('Comma-separated states, e.g. "permission_prompt,idle"'),
      },
    },
    (args) => call(() => client.listSessions(args.status ? { status: args.status } : {})),
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
  server.registerTool(
    'approve_permission',
    {
      description:
        'Approve the pending permission request (scope "always" allows this kind for the session).',
      inputSchema: { ...id, scope: z.enum(['once', 'always']).optional() },
    },
    (args) => call(() => client.approvePermission(args.sessionId, args.scope ? { scope: args.scope } : {})),
  );
  server.registerTool(
    'reject_permission',
    { description: 'Reject the pending permission request.', inputSchema: id },
    (args) => call(() => client.rejectPermission(args.sessionId)),
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
  server.registerTool(
    'wait_for_state',
    {
      description:
        'Block until the session reaches one of the given states (or the timeout passes); returns the session.',
      inputSchema: {
        ...id,
        states: z.array(z.enum(STATES)).min(1),
        timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
      },
    },
    (args) =>
      call(async () => {
        const deadline = Date.now() + args.timeoutMs;
        for (;;) {
          const s = await client.getSession(args.sessionId);
          if ((args.states as string[]).includes(s.status)) return { reached: true, session: s };
          if (Date.now() > deadline) return { reached: false, session: s };
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
  );
  server.registerTool(
    'server_health',
    { description: 'Check that the Aegis server is up.', inputSchema: {} },
    () => call(() => client.getHealth()),
  );
  return server;
}
