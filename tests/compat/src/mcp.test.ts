// The MCP tool, resource and prompt names of the documents, through `ag mcp` as they install it
// (`claude mcp add --scope user aegis -- ag mcp`), against a real server.
import type { RunningServer } from '@aegis/server';
import { script } from '@aegis/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG_BIN, startScripted, until, workspace } from './harness.js';

const ws = workspace('mcp');
let server: RunningServer;
let mcp: Client;

beforeAll(async () => {
  server = await startScripted(ws.base);
  mcp = new Client({ name: 'compat', version: '1.0.0' });
  await mcp.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [AG_BIN, 'mcp'],
      env: { PATH: process.env.PATH ?? '', HOME: ws.base, AEGIS_BASE_URL: server.url },
    }),
  );
});
afterAll(async () => {
  await mcp?.close();
  await server?.close();
});

type ToolAnswer = { content: { type: string; text: string }[]; isError?: boolean };
const tool = async (name: string, args: Record<string, unknown> = {}) => {
  const r = (await mcp.callTool({ name, arguments: args })) as ToolAnswer;
  const text = r.content[0]?.text ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {}
  // biome-ignore lint/suspicious/noExplicitAny: tool results are read field by field
  return { isError: r.isError === true, text, json: json as any };
};

/** Every tool name in the documents (README "34 tools", early README and skill "21 tools"). */
const DOCUMENTED_TOOLS = [
  'create_session',
  'list_sessions',
  'get_status',
  'kill_session',
  'batch_create_sessions',
  'send_message',
  'send_bash',
  'send_command',
  'get_transcript',
  'capture_pane',
  'get_session_summary',
  'approve_permission',
  'reject_permission',
  'escape_session',
  'interrupt_session',
  'server_health',
  'get_session_metrics',
  'get_session_latency',
  'list_pipelines',
  'create_pipeline',
  'get_swarm',
  'acp_send_prompt',
  'acp_respond_approval',
  'state_set',
];

describe('MCP tools', () => {
  it('every documented tool name is listed', async () => {
    const names = (await mcp.listTools()).tools.map((t) => t.name);
    expect(DOCUMENTED_TOOLS.filter((n) => !names.includes(n))).toEqual([]);
  });

  it('create_session(workDir, name, prompt) → get_status → get_transcript → kill_session (the skill workflow)', async () => {
    const created = await tool('create_session', {
      workDir: ws.folder(),
      name: 'impl-#123',
      prompt: script({ say: 'Implemented.' }),
    });
    expect(created.isError, created.text).toBe(false);
    const id = created.json.id as string;
    expect(created.json.session.id).toBe(id);
    const status = await until(
      () => tool('get_status', { sessionId: id }),
      (r) => r.json.status === 'idle',
    );
    expect(status.json.name).toBe('impl-#123');
    const transcript = await tool('get_transcript', { sessionId: id });
    expect(transcript.json.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'Implemented.' });
    expect((await tool('kill_session', { sessionId: id })).json.status).toBe('killed');
  });

  it('acp_send_prompt is send_message; acp_respond_approval answers (409 with nothing pending)', async () => {
    const { json } = await tool('create_session', { workDir: ws.folder() });
    const sent = await tool('acp_send_prompt', { sessionId: json.id, text: script({ say: 'ok' }) });
    expect(sent.isError, sent.text).toBe(false);
    expect(sent.json.promptDelivery).toBeDefined();
    await until(
      () => tool('get_status', { sessionId: json.id }),
      (r) => r.json.status === 'idle',
    );
    const answer = await tool('acp_respond_approval', { sessionId: json.id, approve: false });
    expect(answer).toMatchObject({ isError: true, text: expect.stringMatching(/^NOTHING_PENDING/) });
  });

  it('state_set / state_get keep a value shared by every session', async () => {
    expect((await tool('state_set', { key: 'compat:plan', value: { step: 2 } })).isError).toBe(false);
    expect((await tool('state_get', { key: 'compat:plan' })).json.value).toEqual({ step: 2 });
  });

  it.each([
    ['capture_pane', { sessionId: 'any' }, /^NOT_IMPLEMENTED: There is no terminal pane/],
    ['send_bash', { sessionId: 'any', command: 'ls' }, /^NOT_IMPLEMENTED: send_bash .*send_message/],
    ['get_swarm', {}, /^NOT_IMPLEMENTED: There is no swarm view.*list_sessions/],
  ])('tmux-era %s answers an error saying what to use instead', async (name, args, message) => {
    const r = await tool(name, args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
  });

  it('list_sessions filters by a documented state name (status "active")', async () => {
    const r = await tool('list_sessions', { status: 'active' });
    expect(r.isError, r.text).toBe(false);
    expect(Array.isArray(r.json.sessions)).toBe(true);
  });
});

describe('MCP resources and prompts', () => {
  it('aegis://sessions, aegis://sessions/{id}/transcript and aegis://health exist; the tmux-era pane does not', async () => {
    const uris = (await mcp.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['aegis://sessions', 'aegis://health']));
    const templates = (await mcp.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toContain('aegis://sessions/{id}/transcript');
    expect(templates).not.toContain('aegis://sessions/{id}/pane');
    const health = await mcp.readResource({ uri: 'aegis://health' });
    const [first] = health.contents;
    expect(JSON.parse(first && 'text' in first ? first.text : '{}').status).toBe('ok');
  });

  it('the prompts implement_issue, review_pr and debug_session exist', async () => {
    const names = (await mcp.listPrompts()).prompts.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['implement_issue', 'review_pr', 'debug_session']));
  });
});
