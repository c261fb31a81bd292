import { AegisClient } from '@aegis/client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAegisMcpServer } from './server.js';

export { createAegisMcpServer } from './server.js';

/** Serves MCP on stdio against the Aegis server at `baseUrl`. */
export async function runStdioMcpServer(options: {
  baseUrl: string;
  token?: string | undefined;
  /** The fetch the client uses (e.g. one that adds a refreshed sign-in token). */
  fetch?: typeof fetch | undefined;
}): Promise<void> {
  const client = new AegisClient({
    baseUrl: options.baseUrl,
    ...(options.token ? { token: options.token } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const server = createAegisMcpServer(client);
  await server.connect(new StdioServerTransport());
}
