import { defineCommand } from 'citty';
import { baseUrlFrom, cliEnv } from '../env.js';

export const mcpCommand = defineCommand({
  meta: {
    name: 'mcp',
    description: 'Serve MCP on stdio against a running Aegis (claude mcp add --scope user aegis -- ag mcp)',
  },
  args: { port: { type: 'string', description: 'Port of the Aegis server' } },
  async run({ args }) {
    const { runStdioMcpServer } = await import('@aegis/mcp');
    await runStdioMcpServer({ baseUrl: baseUrlFrom({ port: args.port }), token: cliEnv().AEGIS_AUTH_TOKEN });
  },
});
