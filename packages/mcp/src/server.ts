import type { AegisClient } from '@aegis/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { call } from './tool-result.js';
import { registerAuditTool } from './tools/audit.js';
import { registerControlTools } from './tools/control.js';
import { registerDocumentedNames } from './tools/documented-names.js';
import { registerMemoryTools } from './tools/memory.js';
import { registerOrchestrationTools } from './tools/orchestration.js';
import { registerRoutineTools } from './tools/routines.js';
import { registerSessionTools } from './tools/sessions.js';
import { registerUsageTool } from './tools/usage.js';
import { MCP_VERSION } from './version.js';
import { registerWaitForState } from './wait-for-state.js';

/**
 * An MCP server exposing Aegis sessions as tools, backed by the HTTP API. Tool input fields are
 * declared in `inputs.ts` against the API's generated request types; each `tools/*.ts` registers
 * one group. The registration order is the order `tools/list` answers in.
 */
export function createAegisMcpServer(client: AegisClient, version = MCP_VERSION): McpServer {
  const server = new McpServer({ name: 'aegis', version });
  registerSessionTools(server, client);
  registerWaitForState(server, client, call);
  server.registerTool(
    'server_health',
    { description: 'Check that the Aegis server is up.', inputSchema: {} },
    () => call(() => client.getHealth()),
  );
  server.registerTool(
    'list_nodes',
    {
      description:
        "List the Aegis servers (nodes) sharing this server's PostgreSQL database: each node's state (active, draining, gone), whether it heartbeated within the lease (alive), and its load (agent processes against its limit, busy, dormant, sessions it owns); unowned counts sessions waiting for a node to adopt them. A session's `node` field names its owner. On a single server: clustered false and no nodes.",
      inputSchema: {},
    },
    () => call(() => client.listNodes()),
  );
  server.registerTool(
    'list_channels',
    {
      description:
        'List the notification channels (telegram, slack, email): whether each is configured, its state (ok, retrying, error, disabled), the last error, and how many messages wait to be sent (queueDepth).',
      inputSchema: {},
    },
    () => call(() => client.listChannels()),
  );
  registerOrchestrationTools(server, client);
  registerRoutineTools(server, client);
  registerMemoryTools(server, client);
  registerControlTools(server, client);
  registerAuditTool(server, client);
  registerUsageTool(server, client);
  // Last, so tools/list shows ours first: the earlier documents' names (docs/compatibility.md).
  registerDocumentedNames(server, client);
  registerResources(server, client);
  registerPrompts(server);
  return server;
}
