import { AegisClient } from '@aegis/client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAegisMcpServer } from './server.js';

export { createAegisMcpServer } from './server.js';

/** Serves MCP on stdio against the Aegis server at `baseUrl`. */
export async function runStdioMcpServer(options: {
  baseUrl: string;
  token?: string | undefined;
}): Promise<void> {
  const client = new AegisClient({
    baseUrl: options.baseUrl,
    ...(options.token ? { token: options.token } : {}),
  });
  const server = createAegisMcpServer(client);
  await server.connect(new StdioServerTransport());
}
