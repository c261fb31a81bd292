import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { call } from '../tool-result.js';

/** What usage can be grouped by (the API's `groupBy`). */
const USAGE_GROUPS = ['day', 'key', 'template', 'model', 'session', 'workDir'] as const;
const utcDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day as YYYY-MM-DD, e.g. 2026-12-05');

/** The usage ledger: tokens, cost, turns and tool calls, grouped. */
export function registerUsageTool(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'get_usage',
    {
      description:
        "Token use and cost from the usage ledger (one row per turn, kept across restarts), summed per group over UTC days: input, output and cache tokens, cost in US dollars (null where neither the agent nor the price table gave one), turns, tool calls and duration. Group by any of day, key (the API key that owns the session), template, model, session, workDir; default by day over the last 30 days. A key that is not an admin sees only its own sessions' usage.",
      inputSchema: {
        from: utcDay.optional().describe('First UTC day, YYYY-MM-DD (default: 29 days before `to`)'),
        to: utcDay.optional().describe('Last UTC day, inclusive, YYYY-MM-DD (default: today)'),
        groupBy: z
          .array(z.enum(USAGE_GROUPS))
          .min(1)
          .max(USAGE_GROUPS.length)
          .optional()
          .describe('What to sum by, e.g. ["day", "model"] (default ["day"])'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .optional()
          .describe('Most groups to return (the costliest first when grouped by session); default 1000'),
      },
    },
    ({ from, to, groupBy, limit }) =>
      call(() =>
        client.getUsage({
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(groupBy ? { groupBy: groupBy.join(',') } : {}),
          ...(limit === undefined ? {} : { limit: String(limit) }),
        }),
      ),
  );
}
