import type { AegisClient } from '@aegis/client';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';

const asJson = (uri: string, data: unknown) => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data, null, 2) }],
});

/** Resources: the session list, a session's transcript, server health. */
export function registerResources(server: McpServer, client: AegisClient): void {
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
}
