import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from './__fixtures__/connect-mcp.js';

/** The MCP surface PRODUCT.md promises, by name. */
const TOOLS = [
  'get_usage',
  'create_session',
  'list_sessions',
  'get_status',
  'send_message',
  'send_command',
  'get_transcript',
  'get_session_summary',
  'approve_permission',
  'reject_permission',
  'answer_question',
  'interrupt_session',
  'escape_session',
  'set_mode',
  'kill_session',
  'batch_create_sessions',
  'wait_for_state',
  'create_pipeline',
  'list_pipelines',
  'get_pipeline',
  'list_templates',
  'create_session_from_template',
  'memory_set',
  'memory_get',
  'memory_list',
  'memory_delete',
  'server_health',
  'list_nodes',
  'list_channels',
  'get_session_metrics',
  'get_session_latency',
  'discover_commands',
  'audit_query',
  'create_routine',
  'list_routines',
  'list_routine_runs',
  'run_routine',
  'pause_routine',
  'resume_routine',
  'delete_routine',
  'preview_routine_schedule',
];
const RESOURCES = ['aegis://sessions', 'aegis://health'];
const RESOURCE_TEMPLATES = ['aegis://sessions/{id}/transcript'];
const PROMPTS = ['implement_issue', 'review_pr', 'debug_session'];

const ADMIN_TOKEN = 'mcp-surface-admin-token-0123456789';
const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-mcp-surface-')));
let server: RunningServer;
const clients: Client[] = [];

/** A real MCP client over stdio, spawning the built `aegis-mcp` bin with this token. */
async function connect(token: string): Promise<Client> {
  const client = await connectMcp('mcp-surface-test', {
    AEGIS_BASE_URL: server.url,
    AEGIS_AUTH_TOKEN: token,
  });
  clients.push(client);
  return client;
}

type ToolResult = { isError?: boolean; content: { text: string }[] };
async function tool(client: Client, name: string, args: Record<string, unknown>) {
  const r = (await client.callTool({ name, arguments: args })) as ToolResult;
  return { isError: r.isError === true, text: r.content[0]!.text };
}
const json = async (client: Client, name: string, args: Record<string, unknown>) => {
  const r = await tool(client, name, args);
  expect(r.isError, r.text).toBe(false);
  return JSON.parse(r.text);
};

let admin: Client;
beforeAll(async () => {
  server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(base, { authToken: ADMIN_TOKEN }),
  });
  admin = await connect(ADMIN_TOKEN);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.close();
});

describe('ag mcp: the whole PRODUCT.md surface', () => {
  it('lists every tool, each with a description and an object input schema', async () => {
    const { tools } = await admin.listTools();
    const names = tools.map((t) => t.name);
    expect(TOOLS.filter((t) => !names.includes(t))).toEqual([]);
    for (const t of tools) {
      expect(t.description?.length ?? 0, `${t.name} has no description`).toBeGreaterThan(15);
      expect(t.inputSchema.type, t.name).toBe('object');
    }
    const audit = tools.find((t) => t.name === 'audit_query')!;
    expect(Object.keys(audit.inputSchema.properties ?? {}).sort()).toEqual(
      ['action', 'actor', 'after', 'from', 'limit', 'sessionId', 'to', 'verify'].sort(),
    );
  });

  it('lists every resource, resource template and prompt', async () => {
    const { resources } = await admin.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(expect.arrayContaining(RESOURCES));
    const { resourceTemplates } = await admin.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual(expect.arrayContaining(RESOURCE_TEMPLATES));
    const { prompts } = await admin.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(PROMPTS));
  });
});

describe('audit_query against a live server', () => {
  it('finds the calls made through MCP, filters by session and action, pages, and verifies the chain', async () => {
    const dir = join(base, 'audited');
    mkdirSync(dir);
    const id = (await json(admin, 'create_session', { workDir: dir, name: 'audited' })).session.id;
    await json(admin, 'wait_for_state', { sessionId: id, states: ['idle'], timeoutMs: 10_000 });
    await json(admin, 'send_message', { sessionId: id, text: 'hello' });
    await json(admin, 'wait_for_state', { sessionId: id, states: ['idle'], timeoutMs: 10_000 });
    await json(admin, 'kill_session', { sessionId: id });

    const mine = await json(admin, 'audit_query', { sessionId: id });
    // A change is recorded before it runs ('started'; a create's names no session yet) and once answered.
    const trail = ['createSession', 'sendMessage', 'sendMessage', 'killSession', 'killSession'];
    expect(mine.records.map((r: { action: string }) => r.action)).toEqual(trail);
    expect(mine.records.map((r: { outcome: string }) => r.outcome)).toEqual([
      '201',
      'started',
      mine.records[2].outcome,
      'started',
      mine.records[4].outcome,
    ]);
    expect(mine.records[2].details.intent).toBe(mine.records[1].id);
    expect(mine.records.every((r: { target: string }) => r.target === id)).toBe(true);
    expect(mine.records[0]).toMatchObject({ actorId: 'bootstrap', actorRole: 'admin', outcome: '201' });
    expect(mine.nextAfter).toBeNull();

    const created = await json(admin, 'audit_query', { action: 'createSession', sessionId: id });
    expect(created.records).toHaveLength(1);

    // Page one record at a time through this session's trail.
    const seen: string[] = [];
    let after: number | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await json(admin, 'audit_query', { sessionId: id, limit: 1, ...(after ? { after } : {}) });
      seen.push(...r.records.map((x: { action: string }) => x.action));
      if (r.nextAfter === null) break;
      after = r.nextAfter;
    }
    expect(seen).toEqual(trail);

    const verified = await json(admin, 'audit_query', { limit: 1, verify: true });
    expect(verified.verification).toMatchObject({ ok: true, firstBroken: null });
    expect(verified.verification.checked).toBeGreaterThanOrEqual(3);

    const future = await json(admin, 'audit_query', { from: '2999-01-01T00:00:00Z' });
    expect(future.records).toEqual([]);
  });

  it('is a tool error carrying FORBIDDEN for a viewer key', async () => {
    const res = await fetch(`${server.url}/v1/auth/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mcp-viewer', role: 'viewer' }),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    const viewer = await connect(secret);
    const r = await tool(viewer, 'audit_query', {});
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^FORBIDDEN: /);
    // The same viewer may read sessions: the error is about the audit log, not the connection.
    expect((await tool(viewer, 'list_sessions', {})).isError).toBe(false);
  });

  it('rejects a malformed time before calling the server', async () => {
    const r = await tool(admin, 'audit_query', { from: 'yesterday' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Invalid ISO datetime at from/);
  });
});
