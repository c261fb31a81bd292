import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** The built `aegis-mcp` bin (tests run against `dist`, as users install it). */
export const MCP_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/**
 * A real MCP client (the SDK's) connected over stdio to a freshly spawned `aegis-mcp`, whose
 * environment is only PATH and `env` (e.g. `AEGIS_BASE_URL`, `AEGIS_AUTH_TOKEN`). The caller closes it.
 */
export async function connectMcp(name: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [MCP_BIN],
      env: { PATH: process.env.PATH ?? '', ...env },
    }),
  );
  return client;
}
