import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { sessionId } from '../inputs.js';
import { call } from '../tool-result.js';

/** Registers a tool whose only input is `sessionId` and whose result is one API call with it. */
export function registerSessionIdTool(
  server: McpServer,
  name: string,
  description: string,
  run: (sessionId: string) => Promise<unknown>,
): void {
  server.registerTool(name, { description, inputSchema: sessionId }, (args) =>
    call(() => run(args.sessionId)),
  );
}
