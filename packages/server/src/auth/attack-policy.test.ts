// Attack suite, round two (issue 22): permission rules — patterns that could block the event loop.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field in tests
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';

let s: Booted;
let admin: string;
let op: string;
let dirs = 0;
const freshDir = () => {
  const dir = join(s.work, `policy-${++dirs}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  s = await boot({ limits: { authFailuresPerMinute: 10_000, requestsPerMinute: 10_000 } });
  admin = await s.key('admin');
  op = await s.key('operator', admin);
});
afterAll(() => s.server.close());

const bash = (command: string) =>
  script({
    tool: { title: `Run ${command.slice(0, 20)}`, kind: 'execute', input: { command }, permission: true },
  });

/** Polls the session until `done` holds for it (the server answers between polls). */
async function until(id: string, done: (session: any) => boolean) {
  for (let i = 0; i < 400; i++) {
    const res = await s.call('GET', `/v1/sessions/${id}`, { token: op });
    if (done(res.body)) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`session ${id} never reached the expected state`);
}

describe('ReDoS through policy patterns', () => {
  // The attack: a session policy ^(a+)+$ and a command of 27 "a" and "!" froze the server for
  // 4.6 s, doubling per character. With 30 of them a backtracking engine blocks for most of a
  // minute (this test then times out); the linear matcher decides at once and the server answers.
  it('a session rule ^(a+)+$ is evaluated against 30 "a" and "!" without blocking the server', async () => {
    const command = `${'a'.repeat(30)}!`;
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: {
        workDir: freshDir(),
        policies: [{ name: 'redos', decision: 'deny', commandPattern: '^(a+)+$' }],
        prompt: bash(command),
      },
    });
    expect(res.status).toBe(201);
    const id = res.body.session.id;
    // No match, so the request waits for a human, and the server answers meanwhile.
    const waiting = await until(id, (b) => b.status === 'permission_prompt');
    expect(waiting.pendingPermission).toMatchObject({ title: expect.stringContaining('Run aaaa') });
    expect((await s.call('GET', '/v1/health')).status).toBe(200);
    await s.call('DELETE', `/v1/sessions/${id}`, { token: op });
  }, 20_000);

  it('the same rule denies a command it matches', async () => {
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: {
        workDir: freshDir(),
        policies: [{ name: 'redos', decision: 'deny', commandPattern: '^(a+)+$' }],
        prompt: bash('a'.repeat(5000)),
      },
    });
    expect(res.status).toBe(201);
    const id = res.body.session.id;
    await until(id, (b) => b.status === 'idle');
    const resolved = (await s.server.aegis.sessions.events(id)).find((e) => e.type === 'permission.resolved');
    expect(resolved?.data).toMatchObject({ decidedBy: { type: 'policy', rule: 'redos' } });
    await s.call('DELETE', `/v1/sessions/${id}`, { token: op });
  }, 20_000);

  it.each([
    ['a lookahead', '^(?!git )'],
    ['a lookbehind', '(?<=sudo )rm'],
    ['a backreference', '(\\w+) \\1'],
    ['an oversized repetition', 'a{5000}'],
  ])(
    'refuses %s in a session policy with a 400 that says why, and creates nothing',
    async (_label, pattern) => {
      const before = (await s.call('GET', '/v1/sessions?limit=100', { token: admin })).body.total;
      const res = await s.call('POST', '/v1/sessions', {
        token: op,
        body: { workDir: freshDir(), policies: [{ name: 'p', decision: 'deny', commandPattern: pattern }] },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/not supported|repetition counts above 1000/);
      expect((await s.call('GET', '/v1/sessions?limit=100', { token: admin })).body.total).toBe(before);
    },
  );

  it('refuses a lookahead in the server rules (PUT /v1/policies) with a 400', async () => {
    const res = await s.call('PUT', '/v1/policies', {
      token: admin,
      body: { rules: [{ name: 'p', decision: 'deny', commandPattern: 'rm(?= -rf)' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/lookaround .* is not supported by the linear-time matcher/);
  });
});

describe('answering a permission in the wrong direction (#14)', () => {
  it('POST /reject with an allow option is a 400 and leaves the request pending; a reject option works', async () => {
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: freshDir(), prompt: bash('make deploy') },
    });
    const id = res.body.session.id;
    await until(id, (b) => b.status === 'permission_prompt');
    for (const [route, optionId] of [
      ['reject', 'allow-always'],
      ['reject', 'allow-once'],
      ['approve', 'reject'],
    ] as const) {
      const wrong = await s.call('POST', `/v1/sessions/${id}/${route}`, { token: op, body: { optionId } });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toContain(`cannot ${route}`);
    }
    expect((await s.call('GET', `/v1/sessions/${id}`, { token: op })).body.status).toBe('permission_prompt');
    const right = await s.call('POST', `/v1/sessions/${id}/reject`, {
      token: op,
      body: { optionId: 'reject' },
    });
    expect(right.status).toBe(200);
    const resolved = (await s.server.aegis.sessions.events(id)).find((e) => e.type === 'permission.resolved');
    expect(resolved?.data).toMatchObject({ optionId: 'reject' });
    await s.call('DELETE', `/v1/sessions/${id}`, { token: op });
  });
});

describe('pipelines with workDirs that are not allowed (#17)', () => {
  const pipelines = async () => (await s.call('GET', '/v1/pipelines?limit=100', { token: op })).body.total;

  it.each([
    ['outside the allowed directories', () => s.root],
    ['that does not exist', () => join(s.work, 'missing')],
  ])('refuses a later stage with a workDir %s at create (400), and stores nothing', async (_label, dir) => {
    const before = await pipelines();
    const res = await s.call('POST', '/v1/pipelines', {
      token: op,
      body: {
        name: 'bad-dir',
        stages: [
          { name: 'first', spec: { workDir: freshDir(), prompt: 'x' } },
          { name: 'later', dependsOn: ['first'], spec: { workDir: dir(), prompt: 'y' } },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WORKDIR_DENIED');
    expect(res.body.error.message).toMatch(/^Stage "later": /);
    expect(await pipelines()).toBe(before);
  });
});

describe('server rules are a ceiling (#6)', () => {
  it("a server deny wins over a session allow, and the audit names the server's rule", async () => {
    const put = await s.call('PUT', '/v1/policies', {
      token: admin,
      body: { rules: [{ name: 'no-deploy', decision: 'deny', commandPattern: '^make deploy' }] },
    });
    expect(put.status).toBe(200);
    try {
      const res = await s.call('POST', '/v1/sessions', {
        token: op,
        body: {
          workDir: freshDir(),
          policies: [{ name: 'yolo', decision: 'allow' }],
          prompt: script(
            {
              tool: { title: 'Deploy', kind: 'execute', input: { command: 'make deploy' }, permission: true },
            },
            { tool: { title: 'List', kind: 'execute', input: { command: 'ls' }, permission: true } },
          ),
        },
      });
      expect(res.status).toBe(201);
      const id = res.body.session.id;
      await until(id, (b) => b.status === 'idle');
      const resolved = (await s.server.aegis.sessions.events(id))
        .filter((e) => e.type === 'permission.resolved')
        .map((e) => e.data);
      expect(resolved).toEqual([
        expect.objectContaining({
          optionKind: 'reject_once',
          decidedBy: { type: 'policy', actor: null, rule: 'no-deploy', source: 'server' },
        }),
        expect.objectContaining({
          optionKind: 'allow_once',
          decidedBy: { type: 'policy', actor: null, rule: 'yolo', source: 'session' },
        }),
      ]);
      const audit = await s.call('GET', '/v1/audit?action=permission.policy&limit=1000', { token: admin });
      const mine = audit.body.records.filter((r: any) => r.target === id);
      expect(mine.map((r: any) => [r.details.rule, r.details.source, r.outcome])).toEqual(
        expect.arrayContaining([
          ['no-deploy', 'server', 'reject_once'],
          ['yolo', 'session', 'allow_once'],
        ]),
      );
      await s.call('DELETE', `/v1/sessions/${id}`, { token: op });
    } finally {
      await s.call('PUT', '/v1/policies', { token: admin, body: { rules: [] } });
    }
  });

  it('a server ask wins over a session allow: a human decides', async () => {
    await s.call('PUT', '/v1/policies', {
      token: admin,
      body: { rules: [{ name: 'review-exec', decision: 'ask', toolKind: 'execute' }] },
    });
    try {
      const res = await s.call('POST', '/v1/sessions', {
        token: op,
        body: { workDir: freshDir(), policies: [{ name: 'yolo', decision: 'allow' }], prompt: bash('ls') },
      });
      const id = res.body.session.id;
      await until(id, (b) => b.status === 'permission_prompt');
      await s.call('DELETE', `/v1/sessions/${id}`, { token: op });
    } finally {
      await s.call('PUT', '/v1/policies', { token: admin, body: { rules: [] } });
    }
  });
});

describe('permission modes an operator may choose (#6)', () => {
  it('an operator may not choose bypassPermissions by default — at create, through a template or later', async () => {
    const create = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: freshDir(), permissionMode: 'bypassPermissions' },
    });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toContain('Permission mode bypassPermissions may not be chosen');
    const template = await s.call('POST', '/v1/templates', {
      token: op,
      body: { name: `bypass-${Date.now()}`, permissionMode: 'bypassPermissions' },
    });
    const viaTemplate = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: freshDir(), templateId: template.body.id },
    });
    expect(viaTemplate.status).toBe(403);
    const ok = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: freshDir(), permissionMode: 'acceptEdits' },
    });
    expect(ok.status).toBe(201);
    const later = await s.call('POST', `/v1/sessions/${ok.body.session.id}/mode`, {
      token: op,
      body: { mode: 'bypassPermissions' },
    });
    expect(later.status).toBe(403);
    const admins = await s.call('POST', '/v1/sessions', {
      token: admin,
      body: { workDir: freshDir(), permissionMode: 'bypassPermissions' },
    });
    expect(admins.status).toBe(201);
    await s.call('DELETE', `/v1/sessions/${ok.body.session.id}`, { token: op });
    await s.call('DELETE', `/v1/sessions/${admins.body.session.id}`, { token: admin });
  });

  it('operatorPermissionModes decides which modes operators may choose', async () => {
    const other = await boot({ operatorPermissionModes: ['plan', 'bypassPermissions'] });
    try {
      const a = await other.key('admin');
      const o = await other.key('operator', a);
      const dir = join(other.work, 'x');
      mkdirSync(dir);
      const bypass = await other.call('POST', '/v1/sessions', {
        token: o,
        body: { workDir: dir, permissionMode: 'bypassPermissions' },
      });
      expect(bypass.status).toBe(201);
      const edits = await other.call('POST', '/v1/sessions', {
        token: o,
        body: { workDir: dir, permissionMode: 'acceptEdits', reuse: false },
      });
      expect(edits.status).toBe(403);
      expect(edits.body.error.message).toContain('choose one of plan, bypassPermissions');
    } finally {
      await other.server.close();
    }
  });
});
