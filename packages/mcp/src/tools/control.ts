import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type Body, fieldsOf, MODES, sessionId } from '../inputs.js';
import { call } from '../tool-result.js';

/** Insight and control tools: summary, metrics, latency, commands, questions, escape, mode. */
export function registerControlTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'get_session_summary',
    {
      description:
        'What a session did: turns, tool calls by status, files touched, permission decisions, last assistant message, usage and cost.',
      inputSchema: sessionId,
    },
    (args) => call(() => client.getSessionSummary(args.sessionId)),
  );
  server.registerTool(
    'get_session_metrics',
    {
      description: 'Event counts by type, tokens, cost and turn durations of a session.',
      inputSchema: sessionId,
    },
    (args) => call(() => client.getSessionMetrics(args.sessionId)),
  );
  server.registerTool(
    'get_session_latency',
    {
      description: 'p50/p95/max of turn duration, time to first token and permission/question waits.',
      inputSchema: sessionId,
    },
    (args) => call(() => client.getSessionLatency(args.sessionId)),
  );
  server.registerTool(
    'discover_commands',
    { description: "The agent's slash commands (use send_command to run one).", inputSchema: sessionId },
    (args) => call(() => client.discoverCommands(args.sessionId)),
  );
  server.registerTool(
    'answer_question',
    {
      description:
        'Answer the question the agent asked (session state "asking"): an option label/value or free text for the first question, or answers keyed by question id.',
      inputSchema: {
        ...sessionId,
        ...fieldsOf<Body<'answerQuestion'>>()({
          answer: z.string().optional(),
          answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
        }),
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
      inputSchema: sessionId,
    },
    (args) => call(() => client.escapeSession(args.sessionId)),
  );
  server.registerTool(
    'set_mode',
    {
      description: "Switch the agent's permission mode (e.g. acceptEdits: edits need no approval).",
      inputSchema: { ...sessionId, ...fieldsOf<Body<'setMode'>>()({ mode: z.enum(MODES) }) },
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
