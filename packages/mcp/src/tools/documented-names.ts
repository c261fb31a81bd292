import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { memoryKey, permissionAnswer, permissionAnswerBody, sessionId } from '../inputs.js';
import { call, type ToolResult } from '../tool-result.js';

/**
 * Tool names of the earlier Aegis documents (docs/compatibility.md). Those with an equivalent call
 * it; the tmux-era ones answer with an error that says what to use instead.
 */
export function registerDocumentedNames(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'acp_send_prompt',
    {
      description: 'The earlier name of send_message: send a prompt to a session (queued if a turn runs).',
      inputSchema: { ...sessionId, text: z.string().min(1).describe('The prompt') },
    },
    (args) => call(() => client.sendMessage(args.sessionId, { text: args.text })),
  );
  server.registerTool(
    'acp_respond_approval',
    {
      description:
        'The earlier name of approve_permission / reject_permission: answer the pending permission request (approve: false rejects).',
      inputSchema: {
        ...permissionAnswer,
        approve: z.boolean().default(true).describe('true approves (default), false rejects'),
      },
    },
    (args) =>
      call(() =>
        args.approve
          ? client.approvePermission(args.sessionId, permissionAnswerBody(args))
          : client.rejectPermission(args.sessionId, permissionAnswerBody(args)),
      ),
  );
  server.registerTool(
    'state_set',
    {
      description: 'The earlier name of memory_set: store a JSON value under a key shared by every session.',
      inputSchema: { key: memoryKey, value: z.json().describe('Any JSON value') },
    },
    (args) => call(() => client.setMemory(args.key, { value: args.value })),
  );
  server.registerTool(
    'state_get',
    {
      description: 'The earlier name of memory_get: read a shared memory entry.',
      inputSchema: { key: memoryKey },
    },
    (args) => call(() => client.getMemory(args.key)),
  );
  server.registerTool(
    'capture_pane',
    {
      description:
        'Tmux era: there is no terminal pane (the agent runs over ACP). Always an error saying to use get_transcript or get_status.',
      inputSchema: sessionId,
    },
    (args) => call(() => client.capturePane(args.sessionId)),
  );
  server.registerTool(
    'send_bash',
    {
      description:
        'Tmux era: typed "!command" into the terminal. Not supported: always an error saying to ask the agent with send_message.',
      inputSchema: { ...sessionId, command: z.string() },
    },
    () =>
      notSupported(
        'send_bash typed "!<command>" into a tmux terminal, which this server does not have. Ask the agent to run the command with send_message ("Run `npm test` and report the result"); the permission policy and approve_permission apply to it.',
      ),
  );
  server.registerTool(
    'get_swarm',
    {
      description:
        'Tmux era: swarm status. Not supported: always an error saying to use list_sessions (parentId, status).',
      inputSchema: {},
    },
    () =>
      notSupported(
        'There is no swarm view. list_sessions lists sessions by state (status "active" for every live one) and folder; each session carries its parentId.',
      ),
  );
}

const notSupported = async (message: string): Promise<ToolResult> => ({
  content: [{ type: 'text', text: `NOT_IMPLEMENTED: ${message}` }],
  isError: true,
});
