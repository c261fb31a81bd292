import { mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from './__fixtures__/connect-mcp.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-mcp-')));
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  client = await connectMcp('mcp-test', { AEGIS_BASE_URL: server.url });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const json = (r: unknown) => JSON.parse((r as { content: { text: string }[] }).content[0]!.text);

describe('ag mcp (real MCP client over stdio, live server)', () => {
  it('lists the session tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['create_session', 'get_status', 'approve_permission', 'wait_for_state']),
    );
  });

  it('reports the installed package version in the handshake', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(client.getServerVersion()).toEqual({ name: 'aegis', version: pkg.version });
  });

  it("documents list_sessions' default page size as the one the server applies", async () => {
    const { tools } = await client.listTools();
    const limit = tools.find((t) => t.name === 'list_sessions')?.inputSchema.properties?.limit as {
      description: string;
    };
    const documented = Number(/default (\d+)/.exec(limit.description)?.[1]);
    const page = json(await client.callTool({ name: 'list_sessions', arguments: {} }));
    expect(page.limit).toBe(documented);
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
    const id = created.session.id;
    const waited = json(
      await client.callTool({
        name: 'wait_for_state',
        arguments: { sessionId: id, states: ['permission_prompt'], timeoutMs: 10_000 },
      }),
    );
    expect(waited.reached).toBe(true);
    await client.callTool({ name: 'approve_permission', arguments: { sessionId: id } });
    await client.callTool({
      name: 'wait_for_state',
      arguments: { sessionId: id, states: ['idle'], timeoutMs: 10_000 },
    });
    const transcript = json(await client.callTool({ name: 'get_transcript', arguments: { sessionId: id } }));
    expect(transcript.entries.map((e: { role: string }) => e.role)).toContain('tool');
  });

  it('returns API errors as MCP tool errors carrying the code', async () => {
    const r = (await client.callTool({ name: 'get_status', arguments: { sessionId: 'nope' } })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/^SESSION_NOT_FOUND/);
  });
});
