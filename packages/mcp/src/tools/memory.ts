import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listMemoryQuery, setMemoryBody } from '../inputs.gen.js';
import { memoryKey } from '../inputs.js';
import { call } from '../tool-result.js';

/** The key–value memory shared by every session on the server. */
export function registerMemoryTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'memory_set',
    {
      description: 'Store a JSON value under a key, shared with every session on this server; optional TTL.',
      inputSchema: {
        key: memoryKey,
        // Required here (the API takes a missing value as null): a tool call that forgets it is refused.
        value: z
          .json()
          .describe('Any JSON value, at most 65536 bytes serialized (required; null is a value)'),
        ttlSec: setMemoryBody.ttlSec,
      },
    },
    (args) => call(() => client.setMemory(args.key, { value: args.value, ttlSec: args.ttlSec })),
  );
  server.registerTool(
    'memory_get',
    { description: 'Read a memory entry.', inputSchema: { key: memoryKey } },
    (args) => call(() => client.getMemory(args.key)),
  );
  server.registerTool(
    'memory_list',
    {
      description: 'List memory entries whose key starts with a prefix, by key.',
      inputSchema: listMemoryQuery,
    },
    (args) => call(() => client.listMemory(args)),
  );
  server.registerTool(
    'memory_delete',
    { description: 'Delete a memory entry.', inputSchema: { key: memoryKey } },
    (args) => call(() => client.deleteMemory(args.key)),
  );
}
