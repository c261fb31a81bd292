// The orchestration, memory and control tools through a real MCP client (the SDK's, over stdio,
// spawning the built bin) against a live server running the scripted agent.
import { existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp } from './__fixtures__/connect-mcp.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-mcp-tools-')));
let server: RunningServer;
let client: Client;
let n = 0;

/** A fresh folder per session: an idle session in the same folder would be reused. */
const folder = () => {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(base, { limits: { sessionsPerKey: 100, sessionsGlobal: 100 } }),
  });
  client = await connectMcp('mcp-tools-test', { AEGIS_BASE_URL: server.url });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

type ToolResult = { isError?: boolean; content: { text: string }[] };
const raw = async (name: string, args: Record<string, unknown>) => {
  const r = (await client.callTool({ name, arguments: args })) as ToolResult;
  return { isError: r.isError === true, text: r.content[0]!.text };
};
const tool = async (name: string, args: Record<string, unknown>) => {
  const r = await raw(name, args);
  expect(r.isError, r.text).toBe(false);
  return JSON.parse(r.text);
};
const waitFor = (sessionId: string, states: string[]) =>
  tool('wait_for_state', { sessionId, states, timeoutMs: 20_000 });

describe('orchestration tools', () => {
  it('batch_create_sessions starts each item on its own and reports failures in place', async () => {
    const [a, b] = [folder(), folder()];
    const batch = await tool('batch_create_sessions', {
      sessions: [{ workDir: a, name: 'one' }, { workDir: '/' }, { workDir: b, prompt: 'hello' }],
    });
    expect(batch.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, true]);
    expect(batch.results[1].error.code).toBe('WORKDIR_DENIED');
    expect(batch.results[0].session).toMatchObject({ name: 'one', workDir: a });
    const second = batch.results[2].session.id;
    expect((await waitFor(second, ['idle'])).reached).toBe(true);
  });

  it('create_pipeline runs a stage after its dependency; get_pipeline and list_pipelines show it', async () => {
    const dir = folder();
    const created = await tool('create_pipeline', {
      name: 'mcp-chain',
      stages: [
        { name: 'second', spec: { workDir: dir, prompt: 'b' }, dependsOn: ['first'] },
        { name: 'first', spec: { workDir: dir, prompt: script({ sleep: 100 }, { say: 'a' }) } },
      ],
    });
    expect(created.stages.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['second', 'pending'],
      ['first', 'running'],
    ]);
    let pipeline = created;
    for (let i = 0; i < 200 && pipeline.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pipeline = await tool('get_pipeline', { pipelineId: created.id });
    }
    expect(pipeline.status).toBe('completed');
    const [second, first] = pipeline.stages;
    expect(second.startedAt >= first.endedAt).toBe(true);
    const listed = await tool('list_pipelines', {});
    expect(listed.pipelines.map((p: { id: string }) => p.id)).toContain(created.id);
  });

  it('create_routine with a pipeline target starts the pipeline when run; a target that is neither is refused', async () => {
    const created = await tool('create_routine', {
      name: 'mcp-pipeline-routine',
      schedule: 'every 1h',
      pipeline: { name: 'nightly', stages: [{ name: 'one', spec: { workDir: folder(), prompt: 'hello' } }] },
    });
    expect(created.target).toMatchObject({ pipeline: { name: 'nightly' } });
    const run = await tool('run_routine', { routineId: created.id });
    expect(run.pipelineId).toEqual(expect.any(String));
    await tool('delete_routine', { routineId: created.id });
    const neither = await client.callTool({
      name: 'create_routine',
      arguments: { name: 'x', schedule: 'every 1h' },
    });
    expect(neither.isError).toBe(true);
    expect(JSON.stringify(neither.content)).toContain('VALIDATION_FAILED: Give workDir');
  });

  it('create_routine, preview, run_routine, list_routine_runs, pause, resume and delete', async () => {
    const preview = await tool('preview_routine_schedule', {
      schedule: '0 9 * * 1-5',
      timezone: 'Europe/Rome',
    });
    expect(preview.times).toHaveLength(10);
    const created = await tool('create_routine', {
      name: 'mcp-routine',
      schedule: 'every 1h',
      workDir: folder(),
      prompt: 'hello',
    });
    expect(created).toMatchObject({ name: 'mcp-routine', scheduleKind: 'interval', enabled: true });
    const run = await tool('run_routine', { routineId: created.id });
    expect(run).toMatchObject({ trigger: 'manual', outcome: 'running' });
    const { runs } = await tool('list_routine_runs', { routineId: created.id });
    expect(runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect((await tool('pause_routine', { routineId: created.id })).enabled).toBe(false);
    expect((await tool('resume_routine', { routineId: created.id })).enabled).toBe(true);
    const listed = await tool('list_routines', {});
    expect(listed.routines.map((r: { id: string }) => r.id)).toContain(created.id);
    await tool('delete_routine', { routineId: created.id });
    expect((await tool('list_routines', {})).routines.map((r: { id: string }) => r.id)).not.toContain(
      created.id,
    );
  });

  it('list_templates lists the built-ins; create_session_from_template fills the variables', async () => {
    const { templates } = await tool('list_templates', {});
    expect(templates.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['code-reviewer', 'ci-runner', 'pr-reviewer', 'docs-writer']),
    );
    const created = await tool('create_session_from_template', {
      templateId: 'code-reviewer',
      workDir: folder(),
      variables: { focus: 'naming only' },
    });
    expect(created.session.permissionMode).toBe('plan');
    await waitFor(created.session.id, ['idle']);
    const read = await tool('get_transcript', { sessionId: created.session.id });
    const user = read.entries.find((e: { role: string }) => e.role === 'user');
    expect(user.text).toContain('Focus on naming only.');
  });
});

describe('memory tools', () => {
  it('memory_set, memory_get, memory_list by prefix and memory_delete', async () => {
    expect(await tool('memory_set', { key: 'mcp/a', value: { n: 1 } })).toMatchObject({
      key: 'mcp/a',
      value: { n: 1 },
    });
    await tool('memory_set', { key: 'mcp/b', value: null, ttlSec: 3600 });
    await tool('memory_set', { key: 'other', value: 'x' });
    expect((await tool('memory_get', { key: 'mcp/b' })).value).toBeNull();
    const listed = await tool('memory_list', { prefix: 'mcp/' });
    expect(listed.entries.map((e: { key: string }) => e.key)).toEqual(['mcp/a', 'mcp/b']);
    expect(await tool('memory_delete', { key: 'mcp/a' })).toEqual({ key: 'mcp/a', deleted: true });
    const gone = await raw('memory_get', { key: 'mcp/a' });
    expect(gone.isError).toBe(true);
    expect(gone.text).toMatch(/^MEMORY_NOT_FOUND|NOT_FOUND/);
  });

  it('memory_set without a value is an input error, not a stored null', async () => {
    const r = await raw('memory_set', { key: 'mcp/missing' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/value/);
    expect((await raw('memory_get', { key: 'mcp/missing' })).isError).toBe(true);
  });
});

describe('control tools', () => {
  it('set_mode switches the permission mode; an unknown mode is an input error', async () => {
    const id = (await tool('create_session', { workDir: folder() })).session.id;
    await waitFor(id, ['idle']);
    expect((await tool('set_mode', { sessionId: id, mode: 'acceptEdits' })).permissionMode).toBe(
      'acceptEdits',
    );
    expect((await tool('get_status', { sessionId: id })).permissionMode).toBe('acceptEdits');
    expect((await raw('set_mode', { sessionId: id, mode: 'yolo' })).isError).toBe(true);
  });

  it('interrupt_session cancels the running turn', async () => {
    const id = (
      await tool('create_session', {
        workDir: folder(),
        prompt: script({ say: 'go' }, { waitForCancel: true }),
      })
    ).session.id;
    await waitFor(id, ['working']);
    await tool('interrupt_session', { sessionId: id });
    expect((await waitFor(id, ['idle'])).reached).toBe(true);
    const metrics = await tool('get_session_metrics', { sessionId: id });
    expect(metrics.events.byType['turn.completed']).toBe(1);
    const summary = await tool('get_session_summary', { sessionId: id });
    expect(JSON.stringify(summary)).toContain('cancelled');
  });

  it('reject_permission refuses the write, and the file never appears', async () => {
    const dir = folder();
    const prompt = script({
      tool: { title: 'Write f', kind: 'edit', permission: true, write: { path: 'f', content: '1' } },
    });
    const id = (await tool('create_session', { workDir: dir, prompt })).session.id;
    await waitFor(id, ['permission_prompt']);
    const pending = await tool('get_status', { sessionId: id });
    const rejectOption = pending.pendingPermission.options.find((o: { kind: string }) =>
      o.kind.startsWith('reject'),
    );
    await tool('reject_permission', { sessionId: id, optionId: rejectOption.optionId });
    await waitFor(id, ['idle']);
    const summary = await tool('get_session_summary', { sessionId: id });
    expect(summary.permissions).toMatchObject({ rejected: 1 });
    expect(existsSync(join(dir, 'f'))).toBe(false);
    const again = await raw('reject_permission', { sessionId: id });
    expect(again.text).toMatch(/^NOTHING_PENDING/);
  });

  it('approve_permission with an explicit optionId lets the write happen', async () => {
    const dir = folder();
    const prompt = script({
      tool: { title: 'Write g', kind: 'edit', permission: true, write: { path: 'g', content: '2' } },
    });
    const id = (await tool('create_session', { workDir: dir, prompt })).session.id;
    await waitFor(id, ['permission_prompt']);
    const pending = await tool('get_status', { sessionId: id });
    const allowOnce = pending.pendingPermission.options.find(
      (o: { kind: string }) => o.kind === 'allow_once',
    );
    await tool('approve_permission', { sessionId: id, optionId: allowOnce.optionId });
    await waitFor(id, ['idle']);
    expect(existsSync(join(dir, 'g'))).toBe(true);
  });

  it('server_health reports the server as ok with its version', async () => {
    const health = await tool('server_health', {});
    expect(health).toMatchObject({ status: 'ok' });
    expect(typeof health.version).toBe('string');
  });

  it('list_nodes answers what GET /v1/nodes does: a single server is no cluster and lists no node', async () => {
    const nodes = await tool('list_nodes', {});
    expect(nodes).toEqual({ clustered: false, self: null, leaseMs: null, nodes: [], unowned: 0 });
    const api = await (await fetch(`${server.url}/v1/nodes`)).json();
    expect(nodes).toEqual(api);
  });

  it('list_channels answers what GET /v1/channels does: no channel configured', async () => {
    const channels = await tool('list_channels', {});
    expect(channels.channels.map((c: { name: string; state: string }) => [c.name, c.state])).toEqual([
      ['telegram', 'disabled'],
      ['slack', 'disabled'],
      ['email', 'disabled'],
    ]);
    expect(channels).toEqual(await (await fetch(`${server.url}/v1/channels`)).json());
  });
});

describe('wait_for_state', () => {
  it('returns at once with reached: false when the session ends in a state nobody asked for', async () => {
    const id = (
      await tool('create_session', { workDir: folder(), prompt: script({ sleep: 200 }, { crash: 3 }) })
    ).session.id;
    const started = Date.now();
    const waited = await tool('wait_for_state', {
      sessionId: id,
      states: ['permission_prompt'],
      timeoutMs: 45_000,
    });
    expect(waited).toMatchObject({ reached: false, reason: 'terminal', session: { status: 'crashed' } });
    // Well before the timeout it was given: it did not wait for it.
    expect(Date.now() - started).toBeLessThan(40_000);
  });

  it('stops polling the server when the MCP client cancels the request', async () => {
    const id = (await tool('create_session', { workDir: folder() })).session.id;
    await waitFor(id, ['idle']);
    /** How many GET /v1/sessions/{id} the server has answered, from its Prometheus metrics. */
    const polls = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return text
        .split('\n')
        .filter(
          (l) => l.startsWith('aegis_http_request_duration_seconds_count{') && l.includes('method="GET"'),
        )
        .filter((l) => l.includes('route="/v1/sessions/:id"') || l.includes('route="/v1/sessions/{id}"'))
        .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    };
    const abort = new AbortController();
    const waiting = client
      .callTool(
        { name: 'wait_for_state', arguments: { sessionId: id, states: ['asking'], timeoutMs: 45_000 } },
        undefined,
        { signal: abort.signal },
      )
      .catch((err: unknown) => err);
    const before = await polls();
    await new Promise((r) => setTimeout(r, 800));
    expect(await polls()).toBeGreaterThan(before);
    abort.abort();
    expect(await waiting).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 500));
    const settled = await polls();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await polls()).toBe(settled);
  });

  it('still answers reached: true when the terminal state is the one asked for', async () => {
    const id = (await tool('create_session', { workDir: folder() })).session.id;
    await tool('kill_session', { sessionId: id });
    expect(await tool('wait_for_state', { sessionId: id, states: ['killed'] })).toMatchObject({
      reached: true,
      reason: 'reached',
    });
  });

  it('defaults to a timeout below the MCP SDK request timeout and documents the maximum', async () => {
    const { tools } = await client.listTools();
    const wait = tools.find((t) => t.name === 'wait_for_state')!;
    const timeout = (wait.inputSchema.properties as Record<string, { default?: number; maximum?: number }>)
      .timeoutMs!;
    expect(timeout.default).toBeLessThan(60_000);
    expect(wait.description).toContain(`max ${timeout.maximum} ms`);
  });
});

describe('input schemas mirror the HTTP API', () => {
  it('list_sessions filters by workDir and status and pages with page/limit', async () => {
    const dir = folder();
    const id = (await tool('create_session', { workDir: dir, name: 'listed' })).session.id;
    await waitFor(id, ['idle']);
    const mine = await tool('list_sessions', { workDir: dir, status: 'idle' });
    expect(mine.sessions.map((s: { id: string }) => s.id)).toEqual([id]);
    const first = await tool('list_sessions', { page: 1, limit: 1 });
    const second = await tool('list_sessions', { page: 2, limit: 1 });
    expect(first.sessions).toHaveLength(1);
    expect(second.sessions).toHaveLength(1);
    expect(first.sessions[0].id).not.toBe(second.sessions[0].id);
    expect((await raw('list_sessions', { limit: 500 })).isError).toBe(true);
  });

  it('create_session passes agent, env and parentId through', async () => {
    const parent = (await tool('create_session', { workDir: folder() })).session.id;
    const created = await tool('create_session', {
      workDir: folder(),
      agent: 'scripted',
      env: { MCP_TEST_VALUE: 'from-mcp' },
      parentId: parent,
      prompt: script({ echoEnv: ['MCP_TEST_VALUE'] }),
    });
    expect(created.session).toMatchObject({ agent: 'scripted', parentId: parent });
    await waitFor(created.session.id, ['idle']);
    const read = await tool('get_transcript', { sessionId: created.session.id });
    expect(JSON.stringify(read.entries)).toContain('from-mcp');
  });
});

describe('get_usage', () => {
  it('sums the tokens the agent reported, grouped as asked', async () => {
    const dir = folder();
    const id = (
      await tool('create_session', {
        workDir: dir,
        prompt: script({ tokens: { input: 1234, output: 56 } }, { tools: 2 }, { say: 'ok' }),
      })
    ).session.id;
    await waitFor(id, ['idle']);
    const report = await tool('get_usage', { groupBy: ['session', 'model'] });
    expect(report.groupBy).toEqual(['session', 'model']);
    const mine = report.groups.find((g: { session: string }) => g.session === id);
    expect(mine).toMatchObject({
      model: 'scripted-small',
      turns: 1,
      inputTokens: 1234,
      outputTokens: 56,
      toolCalls: 2,
    });
  });

  it.each([
    [{ groupBy: ['colour'] }, /day.*key.*template.*model.*session.*workDir/],
    [{ from: '05/12/2026' }, /YYYY-MM-DD/],
    [{ limit: 0 }, /limit/],
  ])('refuses bad input with a clear error: %o', async (args, message) => {
    const r = await raw('get_usage', args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
  });
});
