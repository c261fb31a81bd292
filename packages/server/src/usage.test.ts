// The usage ledger and budgets through a real server: the scripted agent (a real child process)
// reports known tokens and costs, the SQLite file keeps them across a restart, budgets stop a
// running turn, refuse prompts with 429 and let the session go on once raised.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonCaller, sessionWaiter } from './__fixtures__/json-calls.js';
import type { ServerConfigInput } from './config.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';

vi.setConfig({ testTimeout: 60_000 });

const PRICES = { 'scripted-*': { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 } };

function serverAt(root: string, extra: Partial<ServerConfigInput> = {}) {
  const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
  return startServer({
    ignoreEnv: true,
    logger: createLogger('error', stream),
    config: {
      host: '127.0.0.1',
      port: 0,
      stateDir: join(root, 'state'),
      dbPath: join(root, 'state', 'aegis.db'),
      allowedWorkDirs: [join(root, 'work')],
      agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
      defaultAgent: 'scripted',
      usage: { prices: PRICES },
      ...extra,
    } as Partial<ServerConfigInput>,
  });
}

function fixture(extra: Partial<ServerConfigInput> = {}) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-usage-')));
  mkdirSync(join(root, 'work'));
  const ctx = { root, server: undefined as unknown as RunningServer };
  const call = jsonCaller(() => ctx.server);
  const waitFor = sessionWaiter(call);
  const events = async (id: string) =>
    (await ctx.server.aegis.sessions.events(id, { limit: 10_000 })).map((e) => e as any);
  const workDir = (name: string) => {
    const dir = join(root, 'work', name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  return {
    ctx,
    call,
    waitFor,
    events,
    workDir,
    start: async () => {
      ctx.server = await serverAt(root, extra);
    },
  };
}

describe('the usage ledger', () => {
  const f = fixture();
  beforeAll(() => f.start());
  afterAll(() => f.ctx.server.close());

  it('sums the tokens and costs the scripted agent reports, exactly, across a restart', async () => {
    const dir = f.workDir('ledger');
    // Turn 1: the agent reports its own (cumulative) cost, 0.0125 USD.
    const created = await f.call('POST', '/v1/sessions', {
      workDir: dir,
      prompt: script(
        { tool: { title: 'Read a', kind: 'read' } },
        { tokens: { input: 1000, output: 200, cacheRead: 50 } },
        { usage: { used: 1250, size: 200_000, cost: 0.0125 } },
        { say: 'one' },
      ),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await f.waitFor(id, (s) => s.status === 'idle' && s.turns === 1);
    // Turn 2: no cost reported; priced from the table (scripted-*: 3 / 15 / 0.3 per MTok).
    await f.call('POST', `/v1/sessions/${id}/send`, {
      text: script({ tokens: { input: 2000, output: 400, cacheRead: 1000 } }, { say: 'two' }),
    });
    const s = await f.waitFor(id, (x) => x.status === 'idle' && x.turns === 2);
    const priced = (2000 * 3 + 400 * 15 + 1000 * 0.3) / 1e6;
    expect(s.usage.inputTokens).toBe(3000);
    expect(s.usage.costUsd).toBeCloseTo(0.0125 + priced, 12);

    const done = (await f.events(id)).filter((e) => e.type === 'turn.completed');
    expect(done.map((e) => e.data.usage?.costSource)).toEqual(['agent', 'price_table']);
    expect(done[0].data.usage).toMatchObject({
      inputTokens: 1000,
      outputTokens: 200,
      cachedReadTokens: 50,
      toolCalls: 1,
      model: 'scripted-small',
    });

    await f.ctx.server.close();
    await f.start();

    const bySession = await f.call('GET', '/v1/usage?groupBy=session,model');
    expect(bySession.status).toBe(200);
    const row = bySession.body.groups.find((g: any) => g.session === id);
    expect(row).toMatchObject({
      model: 'scripted-small',
      turns: 2,
      inputTokens: 3000,
      outputTokens: 600,
      cachedReadTokens: 1050,
      totalTokens: 4650,
      toolCalls: 1,
    });
    expect(row.costUsd).toBeCloseTo(0.0125 + priced, 12);
    const byDay = await f.call('GET', '/v1/usage?groupBy=day');
    expect(byDay.body.groups).toHaveLength(1);
    expect(byDay.body.groups[0].day).toBe(new Date().toISOString().slice(0, 10));
    expect(byDay.body.totals.totalTokens).toBe(4650);
    expect(byDay.body.totals.costUsd).toBeCloseTo(0.0125 + priced, 12);
  });

  it('answers CSV for format=csv and Accept: text/csv', async () => {
    const a = await f.call('GET', '/v1/usage?groupBy=model&format=csv');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toContain('text/csv');
    const [header, first] = a.text.trim().split('\n');
    expect(header).toBe(
      'model,turns,inputTokens,outputTokens,cachedReadTokens,cachedWriteTokens,totalTokens,costUsd,durationMs,toolCalls',
    );
    expect(first?.startsWith('scripted-small,')).toBe(true);
    const b = await f.call('GET', '/v1/usage?groupBy=day', undefined, { accept: 'text/csv' });
    expect(b.text.split('\n')[0]?.startsWith('day,turns,')).toBe(true);
  });

  it('the analytics routes answer from the same ledger', async () => {
    const usage = (await f.call('GET', '/v1/usage?groupBy=day')).body.totals;
    const summary = await f.call('GET', '/v1/analytics/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.sessions).toBeGreaterThanOrEqual(1);
    expect(summary.body.totals.totalTokens).toBe(usage.totalTokens);
    const costs = (await f.call('GET', '/v1/analytics/costs')).body;
    expect(costs.totalCostUsd).toBeCloseTo(usage.costUsd, 12);
    expect(costs.byModel[0].model).toBe('scripted-small');
    const tokens = (await f.call('GET', '/v1/analytics/tokens')).body;
    expect(tokens.totalTokens).toBe(usage.totalTokens);
    const limits = await f.call('GET', '/v1/analytics/rate-limits');
    expect(limits.status).toBe(200);
    expect(limits.body).toMatchObject({ key: null, budget: null, rateLimitedSessions: 0 });
    expect(limits.body.used.tokens).toBeGreaterThan(0);
  });

  it.each([
    ['/v1/usage?groupBy=color', 'groupBy'],
    ['/v1/usage?groupBy=day,nope', 'groupBy'],
    ['/v1/usage?from=2026-13-01', 'from'],
    ['/v1/usage?from=yesterday', 'from'],
    ['/v1/usage?from=2026-05-02&to=2026-05-01', 'from'],
    ['/v1/usage?from=2020-01-01&to=2026-01-01', '366'],
    ['/v1/usage?limit=-1', 'limit'],
    ['/v1/analytics/costs?to=soon', 'to'],
  ])('%s → 400 naming %s', async (path, word) => {
    const res = await f.call('GET', path);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/VALIDATION_FAILED|BAD_REQUEST/);
    expect(JSON.stringify(res.body.error)).toContain(word);
  });
});

describe('budgets', () => {
  const f = fixture();
  beforeAll(() => f.start());
  afterAll(() => f.ctx.server.close());

  it('stop a running turn mid-stream, refuse prompts with 429, and let the session go on once raised', async () => {
    const created = await f.call('POST', '/v1/sessions', {
      workDir: f.workDir('stop'),
      budget: { maxCostUsd: 0.05 },
      prompt: script(
        { say: 'working' },
        { usage: { used: 10, size: 100, cost: 0.06 } },
        { say: 'never said', chunks: 1 },
        { waitForCancel: true },
      ),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stopped = await f.waitFor(id, (s) => s.status === 'error');
    expect(stopped.problem.code).toBe('BUDGET_EXCEEDED');
    expect(stopped.problem.message).toContain('maxCostUsd');
    expect(stopped.budgetStatus).toEqual({ warned: [], exceeded: 'maxCostUsd' });
    const evs = await f.events(id);
    const exceeded = evs.find((e) => e.type === 'budget.exceeded');
    expect(exceeded.data).toMatchObject({ limit: 'maxCostUsd', used: 0.06, max: 0.05, scope: 'session' });
    const failed = evs.find((e) => e.type === 'turn.failed');
    expect(failed.data.problem.code).toBe('BUDGET_EXCEEDED');
    expect(failed.seq).toBeGreaterThan(exceeded.seq);
    expect(failed.data.usage.costUsd).toBeCloseTo(0.06, 12);

    const refused = await f.call('POST', `/v1/sessions/${id}/send`, { text: 'more' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('BUDGET_EXCEEDED');
    expect(refused.body.error.details).toMatchObject({ limit: 'maxCostUsd', max: 0.05, scope: 'session' });
    expect(refused.body.error.details.hint).toContain(`PATCH /v1/sessions/${id}`);

    const raised = await f.call('PATCH', `/v1/sessions/${id}`, { budget: { maxCostUsd: 1 } });
    expect(raised.status).toBe(200);
    expect(raised.body.budget).toEqual({ maxCostUsd: 1 });
    expect(raised.body.budgetStatus.exceeded).toBeNull();
    // The cancelled turn is over at the agent too: it takes the next prompt.
    const sent = await f.call('POST', `/v1/sessions/${id}/send`, { text: script({ say: 'again' }) });
    expect(sent.status).toBe(202);
    await f.waitFor(id, (s) => s.status === 'idle' && s.turns === 2);
    expect((await f.events(id)).some((e) => e.type === 'budget.updated')).toBe(true);
    // The stop and the raise are both in the audit log.
    const stops = (await f.call('GET', '/v1/audit?action=budget.exceeded')).body.records;
    expect(stops.some((r: any) => r.target === id && r.outcome === 'maxCostUsd')).toBe(true);
    const raises = (await f.call('GET', '/v1/audit?action=updateSession')).body.records;
    expect(raises.some((r: any) => r.target === id)).toBe(true);
  });

  it('records a warning at 80 % of a limit, once', async () => {
    const created = await f.call('POST', '/v1/sessions', {
      workDir: f.workDir('warn'),
      budget: { maxTokens: 1000 },
      prompt: script({ tokens: { input: 700, output: 150 } }, { say: 'ok' }),
    });
    const id = created.body.id as string;
    const s = await f.waitFor(
      id,
      (x) => x.status === 'idle' && x.turns === 1 && x.budgetStatus.warned.length > 0,
    );
    expect(s.budgetStatus).toEqual({ warned: ['maxTokens'], exceeded: null });
    await f.call('POST', `/v1/sessions/${id}/send`, { text: script({ tokens: { input: 10, output: 10 } }) });
    await f.waitFor(id, (x) => x.status === 'idle' && x.turns === 2);
    const warnings = (await f.events(id)).filter((e) => e.type === 'budget.warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].data).toMatchObject({ limit: 'maxTokens', used: 850, max: 1000 });
  });

  it('maxTurns lets that many turns run, then answers 429 naming it', async () => {
    const created = await f.call('POST', '/v1/sessions', {
      workDir: f.workDir('turns'),
      budget: { maxTurns: 1 },
      prompt: script({ say: 'one' }),
    });
    const id = created.body.id as string;
    await f.waitFor(id, (x) => x.status === 'idle' && x.turns === 1);
    const refused = await f.call('POST', `/v1/sessions/${id}/send`, { text: 'two' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.details.limit).toBe('maxTurns');
  });

  it.each([
    [{ maxCostUsd: -1 }, 'maxCostUsd'],
    [{ maxTokens: -5 }, 'maxTokens'],
    [{ maxTurns: 1.5 }, 'maxTurns'],
    [{ maxDurationMs: 'soon' }, 'maxDurationMs'],
    [{ maxCost: 1 }, 'maxCost'],
  ])('a bad budget %j → 400 naming %s, on create and on PATCH', async (budget, field) => {
    const create = await f.call('POST', '/v1/sessions', { workDir: f.workDir('bad'), budget });
    expect(create.status).toBe(400);
    expect(JSON.stringify(create.body.error)).toContain(field);
    const target = await f.call('POST', '/v1/sessions', { workDir: f.workDir('patched') });
    const patch = await f.call('PATCH', `/v1/sessions/${target.body.id}`, { budget });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body.error)).toContain(field);
  });

  it('a template carries its budget and the ledger groups by template', async () => {
    const t = await f.call('POST', '/v1/templates', { name: 'capped', budget: { maxCostUsd: 2 } });
    expect(t.status).toBe(201);
    const created = await f.call('POST', '/v1/sessions', {
      workDir: f.workDir('tpl'),
      templateId: 'capped',
      prompt: script({ tokens: { input: 10, output: 1 } }),
    });
    expect(created.body.budget).toEqual({ maxCostUsd: 2 });
    expect(created.body.templateId).toBe(t.body.id);
    await f.waitFor(created.body.id, (x) => x.status === 'idle' && x.turns === 1);
    const byTemplate = (await f.call('GET', '/v1/usage?groupBy=template')).body.groups;
    expect(byTemplate.find((g: any) => g.template === t.body.id)).toMatchObject({
      turns: 1,
      inputTokens: 10,
    });
  });
});

describe('a daily key budget', () => {
  const f = fixture({ usage: { prices: PRICES, keyBudgets: { local: { maxTokens: 100 } } } } as never);
  beforeAll(() => f.start());
  afterAll(() => f.ctx.server.close());

  it('counts every session of the key today and refuses prompts past it', async () => {
    const a = await f.call('POST', '/v1/sessions', {
      workDir: f.workDir('a'),
      prompt: script({ tokens: { input: 90, output: 20 } }),
    });
    await f.waitFor(a.body.id, (x) => x.status === 'idle' && x.turns === 1);
    const b = await f.call('POST', '/v1/sessions', { workDir: f.workDir('b'), prompt: 'hello' });
    expect(b.status).toBe(429);
    expect(b.body.error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: { scope: 'key', limit: 'maxTokens' },
    });
    const limits = (await f.call('GET', '/v1/analytics/rate-limits')).body;
    expect(limits.budget).toEqual({ maxTokens: 100 });
    expect(limits.used.tokens).toBe(110);
    expect(limits.fraction.maxTokens).toBeCloseTo(1.1, 9);
  });
});
