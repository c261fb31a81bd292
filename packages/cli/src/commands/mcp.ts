import { defineCommand } from 'citty';
import { connect, connectionArgs, reachingFetch } from '../connect.js';
import { guarded } from '../output.js';

export const mcpCommand = defineCommand({
  meta: {
    name: 'mcp',
    description: 'Serve MCP on stdio against a running Aegis (claude mcp add --scope user aegis -- ag mcp)',
  },
  args: connectionArgs,
  run: guarded(async ({ args }) => {
    const { conn } = connect(args);
    const { runStdioMcpServer } = await import('@aegis/mcp');
    await runStdioMcpServer({
      baseUrl: conn.baseUrl,
      ...(conn.token ? { token: conn.token } : {}),
      // Signed in with `ag login`: every call carries the stored token, refreshed as it expires.
      ...(conn.login ? { fetch: reachingFetch(conn.baseUrl, true) } : {}),
    });
    return undefined;
  }),
});
