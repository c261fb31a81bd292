import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from './__fixtures__/connect-mcp.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-mcp-ctl-')));
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  client = await connectMcp('mcp-ctl-test', { AEGIS_BASE_URL: server.url });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const json = (r: unknown) => JSON.parse((r as { content: { text: string }[] }).content[0]!.text);
const tool = async (name: string, args: Record<string, unknown>) =>
  json(await client.callTool({ name, arguments: args }));

describe('ag mcp control and insight tools, resources, prompts', () => {
  it('answers an agent question, then summarises the session', async () => {
    const dir = join(base, 'q');
    mkdirSync(dir);
    const prompt = script({ ask: { question: 'Which color?', options: ['red', 'blue'] } });
    const id = (await tool('create_session', { workDir: dir, prompt })).session.id;
    const waited = await tool('wait_for_state', { sessionId: id, states: ['asking'], timeoutMs: 10_000 });
    expect(waited.reached).toBe(true);
    expect((await tool('answer_question', { sessionId: id, answer: 'blue' })).answers).toEqual({
      question_0: 'blue',
    });
    await tool('wait_for_state', { sessionId: id, states: ['idle'], timeoutMs: 10_000 });
    const summary = await tool('get_session_summary', { sessionId: id });
    expect(summary).toMatchObject({ lastAssistantMessage: 'You answered: blue', questions: { answered: 1 } });
    expect((await tool('get_session_latency', { sessionId: id })).questionWaitMs.count).toBe(1);
    expect((await tool('get_session_metrics', { sessionId: id })).events.byType['question.asked']).toBe(1);
    const commands = await tool('discover_commands', { sessionId: id });
    expect(commands.commands.map((c: { name: string }) => c.name)).toContain('review');
    const sent = await tool('send_command', { sessionId: id, command: 'review', args: 'src' });
    expect(sent.promptDelivery.delivered || sent.promptDelivery.queued).toBe(true);

    const resource = await client.readResource({ uri: `aegis://sessions/${id}/transcript` });
    expect((resource.contents[0] as { text: string }).text).toContain('You answered: blue');
    const health = await client.readResource({ uri: 'aegis://health' });
    expect(JSON.parse((health.contents[0] as { text: string }).text)).toMatchObject({ status: 'ok' });
    const sessions = await client.readResource({ uri: 'aegis://sessions' });
    expect((sessions.contents[0] as { text: string }).text).toContain(id);
  });

  it('lists the prompts and renders one', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['debug_session', 'implement_issue', 'review_pr']);
    const p = await client.getPrompt({ name: 'debug_session', arguments: { sessionId: 'abc' } });
    expect((p.messages[0]!.content as { text: string }).text).toContain('aegis://sessions/abc/transcript');
  });

  it('escape_session without anything pending is a tool error with the code', async () => {
    const dir = join(base, 'e');
    mkdirSync(dir);
    const id = (await tool('create_session', { workDir: dir })).session.id;
    const r = (await client.callTool({ name: 'escape_session', arguments: { sessionId: id } })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/^NOTHING_PENDING/);
  });
});
