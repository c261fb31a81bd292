import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { queryAuditQuery } from '../inputs.gen.js';
import { call } from '../tool-result.js';

/** The tamper-evident audit trail (admin credentials). */
export function registerAuditTool(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'audit_query',
    {
      description:
        'Search the audit trail: who did what (every API call that changed something, and every permission answer a policy gave), oldest first. Filter by actor, action (an API operationId such as createSession, approvePermission, killSession, or permission.policy), session and time. Page with after = the nextAfter of the previous result (null means no more). verify: true also checks the hash chain and reports the first tampered record. Needs an admin token (FORBIDDEN otherwise).',
      inputSchema: {
        actor: queryAuditQuery.actor.describe('Actor id: an API key id, "local", "bootstrap" or "policy"'),
        action: queryAuditQuery.action.describe(
          'operationId, e.g. "createSession", "approvePermission", or "permission.policy"',
        ),
        sessionId: queryAuditQuery.sessionId.describe('Only records about this session'),
        from: queryAuditQuery.from.describe(
          'ISO 8601 time, inclusive lower bound, e.g. 2025-01-31T00:00:00Z',
        ),
        to: queryAuditQuery.to.describe('ISO 8601 time, inclusive upper bound'),
        after: queryAuditQuery.after.describe('Paging cursor: the nextAfter of the previous page'),
        // A smaller page than the API's default of 1000: a tool result goes into the model's context.
        limit: queryAuditQuery.limit.unwrap().default(100).describe('Records per page (default 100)'),
        // The API's "true"/"false" query string, as a boolean.
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
