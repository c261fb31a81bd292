import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { listSessionsQuery, readSessionQuery, sendMessageBody } from '../inputs.gen.js';
import { permissionAnswer, permissionAnswerBody, sessionFields, sessionId } from '../inputs.js';
import { call } from '../tool-result.js';
import { registerSessionIdTool } from './session-id-tool.js';

/** The core session tools: create, list, status, send, permission answers, transcript, interrupt, kill. */
export function registerSessionTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'create_session',
    {
      description:
        'Start a coding agent (Claude Code by default) in a folder, optionally with a first prompt. Reuses an idle session in the same folder.',
      inputSchema: {
        workDir: sessionFields.workDir,
        prompt: sessionFields.prompt.describe('What the agent should do first'),
        name: sessionFields.name,
        permissionMode: sessionFields.permissionMode,
        model: sessionFields.model,
        agent: sessionFields.agent,
        env: sessionFields.env,
        parentId: sessionFields.parentId,
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
        ...listSessionsQuery,
        workDir: listSessionsQuery.workDir.describe('Only sessions in this folder (absolute path)'),
      },
    },
    (args) => call(() => client.listSessions(args)),
  );
  registerSessionIdTool(
    server,
    'get_status',
    'Get a session: state, pending permission request, usage.',
    (id) => client.getSession(id),
  );
  server.registerTool(
    'send_message',
    {
      description: 'Send a follow-up prompt. Queued in order if a turn is running.',
      inputSchema: { ...sessionId, text: sendMessageBody.text },
    },
    (args) => call(() => client.sendMessage(args.sessionId, { text: args.text })),
  );
  server.registerTool(
    'approve_permission',
    {
      description:
        'Approve the pending permission request (scope "always" allows this kind for the session; optionId picks an offered option).',
      inputSchema: permissionAnswer,
    },
    (args) => call(() => client.approvePermission(args.sessionId, permissionAnswerBody(args))),
  );
  server.registerTool(
    'reject_permission',
    {
      description:
        'Reject the pending permission request (scope "always" rejects this kind for the session).',
      inputSchema: permissionAnswer,
    },
    (args) => call(() => client.rejectPermission(args.sessionId, permissionAnswerBody(args))),
  );
  server.registerTool(
    'get_transcript',
    {
      description: 'Read transcript entries after a cursor you hold (0 = from the start).',
      inputSchema: {
        ...sessionId,
        cursor: readSessionQuery.cursor,
      },
    },
    (args) => call(() => client.readSession(args.sessionId, { cursor: args.cursor ?? 0 })),
  );
  registerSessionIdTool(server, 'interrupt_session', 'Cancel the running turn.', (id) =>
    client.interruptSession(id),
  );
  registerSessionIdTool(server, 'kill_session', 'Stop a session for good (kept for audit).', (id) =>
    client.killSession(id),
  );
}
