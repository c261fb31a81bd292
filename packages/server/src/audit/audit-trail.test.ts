import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { auditMiddleware } from './audit-trail.js';
import { bodyFields } from './request-digest.js';

const work = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-audit-')));
const store = createMemoryStore();
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const aegis = createAegis({
  agent: driver,
  store,
  policy: ({ request }) =>
    request.title.startsWith('Write') ? { decision: 'allow', rule: 'allow-writes' } : undefined,
});
const app = createApp({
  aegis,
  agents: driver.agents,
  security: { apiKeys: store.apiKeys, audit: store.audit },
});
afterAll(() => aegis.close());

const records = () => store.audit.list({ limit: 1000 });

describe('audit trail', () => {
  it('audits a permission answered by policy, with the rule', async () => {
    const res = await app.request('/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workDir: work,
        prompt: script({ tool: { title: 'Write a.txt', kind: 'edit', permission: true } }),
      }),
    });
    const { session } = (await res.json()) as { session: { id: string } };
    for (let i = 0; i < 200 && !(await records()).some((r) => r.action === 'permission.policy'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const policy = (await records()).find((r) => r.action === 'permission.policy');
    expect(policy).toMatchObject({
      actorRole: 'policy',
      target: session.id,
      outcome: 'allow_once',
      details: { rule: 'allow-writes' },
    });
  });

  it('audits every mutating request before it runs and once answered, with actor, operation, target and outcome', async () => {
    const before = (await records()).length;
    await app.request('/v1/sessions/nope/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    await app.request('/v1/sessions');
    const added = (await records()).slice(before);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({
      actorId: 'local',
      actorRole: 'admin',
      action: 'sendMessage',
      target: 'nope',
      outcome: 'started',
      details: {
        method: 'POST',
        path: '/v1/sessions/nope/send',
        params: { id: 'nope' },
        body: { bytes: 13, fields: { text: 'hi' } },
      },
    });
    expect(added[0]?.details?.body).toHaveProperty('sha256', expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(added[1]).toMatchObject({
      action: 'sendMessage',
      target: 'nope',
      outcome: '404',
      details: { intent: added[0]?.id, error: 'SESSION_NOT_FOUND' },
    });
  });

  it('keeps small fields of a body: secret-looking fields and env values redacted, long strings cut', () => {
    expect(
      bodyFields({
        name: 'x',
        apiKey: 'k',
        nested: { password: 'p', token: 't', deeper: { a: 1 } },
        env: { ANTHROPIC_API_KEY: 'sk-1', FOO: 'bar' },
        prompt: 'y'.repeat(500),
        ids: ['a', 'b'],
        sessions: [{ workDir: '/w', env: { X: 'secret' } }, { workDir: '/v' }],
      }),
    ).toEqual({
      name: 'x',
      apiKey: '[redacted]',
      nested: { password: '[redacted]', token: '[redacted]', deeper: '{…}' },
      env: { names: ['ANTHROPIC_API_KEY', 'FOO'] },
      prompt: `${'y'.repeat(120)}…`,
      ids: ['a', 'b'],
      sessions: { items: 2, first: { workDir: '/w', env: { names: ['X'] } } },
    });
  });

  it('keeps a digest within its bound whatever the body', () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]));
    const fields = bodyFields(wide)!;
    expect(Buffer.byteLength(JSON.stringify(fields))).toBeLessThanOrEqual(1536);
    expect(Object.keys(fields).at(-1)).toBe('…');
  });
});

describe('unauthenticated denials', () => {
  it('records at most N a minute, then one summary record for the rest', async () => {
    const { Hono } = await import('hono');
    const { createMemoryAuditStore } = await import('@aegis/core');
    const audit = createMemoryAuditStore();
    let t = Date.parse('2030-01-01T00:00:00Z');
    const tiny = new Hono();
    tiny.use('*', auditMiddleware({ audit, now: () => new Date(t), maxUnauthenticatedPerMinute: 3 }));
    tiny.post('/v1/x', (c) => c.json({ error: { code: 'UNAUTHORIZED', message: 'no' } }, 401));
    const hit = () => tiny.request('/v1/x', { method: 'POST' });
    for (let i = 0; i < 10; i++) expect((await hit()).status).toBe(401);
    expect(await audit.list({ limit: 100 })).toHaveLength(3);
    t += 61_000;
    await hit();
    const all = await audit.list({ limit: 100 });
    expect(all).toHaveLength(5);
    expect(all[3]).toMatchObject({ action: 'audit.suppressed', outcome: '7', details: { count: 7 } });
    expect(all[4]).toMatchObject({ action: 'POST /v1/x', outcome: '401' });
  });
});
