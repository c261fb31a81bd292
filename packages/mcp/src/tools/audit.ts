import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { fieldsOf, type Query } from '../inputs.js';
import { call } from '../tool-result.js';

/** The tamper-evident audit trail (admin credentials). */
export function registerAuditTool(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'audit_query',
    {
      description:
        'Search the audit trail: who did what (every API call that changed something, and every permission answer a policy gave), oldest first. Filter by actor, action (an API operationId such as createSession, approvePermission, killSession, or permission.policy), session and time. Page with after = the nextAfter of the previous result (null means no more). verify: true also checks the hash chain and reports the first tampered record. Needs an admin token (FORBIDDEN otherwise).',
      inputSchema: {
        ...fieldsOf<Omit<Query<'queryAudit'>, 'verify' | 'format'>>()({
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
        }),
        // A boolean here; the API's query parameter is the string 'true' | 'false'.
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
