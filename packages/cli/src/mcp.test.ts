// `ag mcp` as users install it (`claude mcp add --scope user aegis -- ag mcp`): the SDK's MCP client
// spawns the CLI's own bin over stdio, against a live server running the scripted agent.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport as McpStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG_BIN } from './__fixtures__/ag.js';

// The MCP SDK reaches this package only through @aegis/mcp, so it is loaded from there rather than
// declared a second time here.
const fromMcp = createRequire(
  realpathSync(fileURLToPath(new URL('../node_modules/@aegis/mcp/package.json', import.meta.url))),
);
const { Client } = fromMcp('@modelcontextprotocol/sdk/client/index.js') as { Client: typeof McpClient };
const { StdioClientTransport } = fromMcp('@modelcontextprotocol/sdk/client/stdio.js') as {
  StdioClientTransport: typeof McpStdio;
};

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-mcp-')));
let server: RunningServer;
let client: McpClient;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  client = new Client({ name: 'ag-mcp-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [AG_BIN, 'mcp'],
      // HOME without a config file: the connection comes from AEGIS_BASE_URL alone.
      env: { PATH: process.env.PATH ?? '', HOME: base, AEGIS_BASE_URL: server.url },
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const json = (r: unknown) => JSON.parse((r as { content: { text: string }[] }).content[0]!.text);

describe('ag mcp (the SDK client over stdio, live server)', () => {
  it('lists the tools, resources and prompts', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'create_session',
        'wait_for_state',
        'approve_permission',
        'get_transcript',
        'audit_query',
      ]),
    );
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['aegis://sessions', 'aegis://health']),
    );
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toContain('aegis://sessions/{id}/transcript');
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['debug_session', 'implement_issue', 'review_pr']);
  });

  it('creates a session, waits for permission_prompt, approves and reads the transcript', async () => {
    const dir = join(base, 'w');
    mkdirSync(dir);
    const prompt = script({
      tool: { title: 'Write f', kind: 'edit', permission: true, write: { path: 'f', content: '1' } },
    });
    const created = json(
      await client.callTool({ name: 'create_session', arguments: { workDir: dir, prompt } }),
    );
    const id = created.session.id as string;
    const waited = json(
      await client.callTool({
        name: 'wait_for_state',
        arguments: { sessionId: id, states: ['permission_prompt'], timeoutMs: 20_000 },
      }),
    );
    expect(waited).toMatchObject({ reached: true, session: { status: 'permission_prompt' } });
    const approved = await client.callTool({ name: 'approve_permission', arguments: { sessionId: id } });
    expect(approved.isError).not.toBe(true);
    const idle = json(
      await client.callTool({
        name: 'wait_for_state',
        arguments: { sessionId: id, states: ['idle'], timeoutMs: 20_000 },
      }),
    );
    expect(idle.reached).toBe(true);
    const transcript = json(await client.callTool({ name: 'get_transcript', arguments: { sessionId: id } }));
    const tool = transcript.entries.find((e: { role: string }) => e.role === 'tool');
    expect(tool.tool).toMatchObject({ title: 'Write f', status: 'completed' });
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('1');
  });
});
