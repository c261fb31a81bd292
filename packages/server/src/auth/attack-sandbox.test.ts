// Attack suite, sandbox tier (issue 16): a real server, the scripted agent (a real child process)
// confined by bubblewrap. From inside, it tries what a compromised agent's file tools would; the
// same probe in an unsandboxed session shows the probe itself works. Needs bubblewrap.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';

let s: Booted;
let strict: Booted;
const canaries = {} as Record<'hostHome' | 'state' | 'otherWork' | 'outside', string>;

beforeAll(async () => {
  s = await boot({
    agentEnv: { ANTHROPIC_API_KEY: 'real-secret-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
  });
  const hostHome = join(s.root, 'home', '.ssh');
  const other = join(s.work, 'other-session');
  mkdirSync(hostHome, { recursive: true });
  mkdirSync(other);
  canaries.hostHome = join(hostHome, 'id_ed25519');
  canaries.state = join(s.root, 'state', 'canary.txt');
  canaries.otherWork = join(other, 'secret.txt');
  canaries.outside = join(s.root, 'escaped.txt');
  writeFileSync(canaries.hostHome, 'HOST-KEY');
  writeFileSync(canaries.state, 'STATE');
  writeFileSync(canaries.otherWork, 'OTHER');
  strict = await boot({ sandbox: { mode: 'required' } });
});
afterAll(async () => {
  await s?.server.close();
  await strict?.server.close();
});

async function reply(b: Booted, id: string, startsWith: string): Promise<Record<string, string | null>> {
  for (let i = 0; i < 400; i++) {
    const read = await b.call('GET', `/v1/sessions/${id}/read`);
    const text = (read.body.entries as { text?: string }[]).find((e) => e.text?.startsWith(startsWith))?.text;
    if (text) return JSON.parse(text);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no reply starting with ${startsWith}`);
}

const probe = () =>
  script(
    {
      probeFiles: [
        canaries.hostHome,
        canaries.state,
        canaries.otherWork,
        `write:${canaries.outside}`,
        'write:made-here.txt',
      ],
    },
    { echoEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'HOME'] },
  );

describe('a sandboxed session', () => {
  it('sees nothing of the host but its workDir, and never holds the model key', async () => {
    const dir = join(s.work, 'sandboxed');
    mkdirSync(dir);
    const res = await s.call('POST', '/v1/sessions', {
      body: { workDir: dir, sandbox: {}, prompt: probe() },
    });
    expect(res.status).toBe(201);
    const session = res.body.session;
    expect(session.sandbox).toEqual({
      network: 'model',
      allowedHosts: [],
      readOnlyPaths: [],
      writablePaths: [],
    });
    const files = await reply(s, session.id, '{"/');
    expect(files).toMatchObject({
      [canaries.hostHome]: 'ERR:ENOENT',
      [canaries.state]: 'ERR:ENOENT',
      [canaries.otherWork]: 'ERR:ENOENT',
      'write:made-here.txt': 'OK',
    });
    // A write outside the workDir lands in the sandbox's own throw-away /tmp at most, never on the host.
    expect(existsSync(canaries.outside)).toBe(false);
    expect(existsSync(join(dir, 'made-here.txt'))).toBe(true);
    const env = await reply(s, session.id, '{"ANTHROPIC_API_KEY"');
    expect(env).toEqual({
      ANTHROPIC_API_KEY: 'sandboxed',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8199',
      HOME: join(s.root, 'state', 'sandboxes', session.id, 'home'),
    });
  });

  it('the same probe unsandboxed reads everything (the probe works)', async () => {
    const dir = join(s.work, 'open');
    mkdirSync(dir);
    const res = await s.call('POST', '/v1/sessions', { body: { workDir: dir, prompt: probe() } });
    expect(res.body.session.sandbox).toBeNull();
    const files = await reply(s, res.body.session.id, '{"/');
    expect(files[canaries.hostHome]).toBe('HOST-KEY');
    expect(files[canaries.state]).toBe('STATE');
    expect((await reply(s, res.body.session.id, '{"ANTHROPIC_API_KEY"')).ANTHROPIC_API_KEY).toBe(
      'real-secret-key',
    );
  });

  it('is refused unsandboxed where the server requires sandboxes, and sandboxed without asking', async () => {
    const refused = await strict.call('POST', '/v1/sessions', {
      body: { workDir: strict.work, sandbox: { enabled: false } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/sandbox\.mode: required/);
    const created = await strict.call('POST', '/v1/sessions', { body: { workDir: strict.work } });
    expect(created.status).toBe(201);
    expect(created.body.session.sandbox).toMatchObject({ network: 'model' });
  });

  it('refuses a read-only path that would show the state dir', async () => {
    const res = await s.call('POST', '/v1/sessions', {
      body: { workDir: s.work, sandbox: { readOnlyPaths: [join(s.root, 'state')] } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/state directory/);
  });
});
