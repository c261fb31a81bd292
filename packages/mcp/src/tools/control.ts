import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { answerQuestionBody, setModeBody } from '../inputs.gen.js';
import { sessionId } from '../inputs.js';
import { call } from '../tool-result.js';
import { registerSessionIdTool } from './session-id-tool.js';

/** Insight and control tools: summary, metrics, latency, commands, questions, escape, mode. */
export function registerControlTools(server: McpServer, client: AegisClient): void {
  registerSessionIdTool(
    server,
    'get_session_summary',
    'What a session did: turns, tool calls by status, files touched, permission decisions, last assistant message, usage and cost.',
    (id) => client.getSessionSummary(id),
  );
  registerSessionIdTool(
    server,
    'get_session_metrics',
    'Event counts by type, tokens, cost and turn durations of a session.',
    (id) => client.getSessionMetrics(id),
  );
  registerSessionIdTool(
    server,
    'get_session_latency',
    'p50/p95/max of turn duration, time to first token and permission/question waits.',
    (id) => client.getSessionLatency(id),
  );
  registerSessionIdTool(
    server,
    'discover_commands',
    "The agent's slash commands (use send_command to run one).",
    (id) => client.discoverCommands(id),
  );
  server.registerTool(
    'answer_question',
    {
      description:
        'Answer the question the agent asked (session state "asking"): an option label/value or free text for the first question, or answers keyed by question id.',
      inputSchema: {
        ...sessionId,
        ...answerQuestionBody,
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
  registerSessionIdTool(
    server,
    'escape_session',
    'Dismiss the pending question (declined) or permission request (rejected) without cancelling the turn.',
    (id) => client.escapeSession(id),
  );
  server.registerTool(
    'set_mode',
    {
      description: "Switch the agent's permission mode (e.g. acceptEdits: edits need no approval).",
      inputSchema: { ...sessionId, mode: setModeBody.mode },
    },
    (args) => call(() => client.setMode(args.sessionId, { mode: args.mode })),
  );
  server.registerTool(
    'send_command',
    {
      description:
        'Run one of the agent\'s slash commands (see discover_commands), sent as a prompt "/name args".',
      inputSchema: {
        ...sessionId,
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
