// The `ag` commands and flags of the documents, run as a user would.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '@aegis/server';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG_BIN, ag, startScripted, until, workspace } from './harness.js';

const ws = workspace('cli');
let server: RunningServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startScripted(ws.base, { limits: { sessionsPerKey: 500, sessionsGlobal: 500 } });
  env = { HOME: ws.base, AEGIS_BASE_URL: server.url };
});
afterAll(() => server?.close());

const writeFile = script(
  { say: 'Writing.' },
  {
    tool: {
      title: 'Write out.txt',
      kind: 'edit',
      permission: true,
      write: { path: 'out.txt', content: 'ok' },
    },
  },
  { say: 'Done.' },
);

describe('the command names', () => {
  it('`ag` and its legacy alias `aegis` are the same binary', () => {
    const pkg = JSON.parse(readFileSync(join(AG_BIN, '..', '..', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ ag: './dist/bin.js', aegis: './dist/bin.js' });
  });

  it('--help lists the documented commands', async () => {
    const r = await ag(['--help'], env);
    for (const cmd of [
      'serve',
      'run',
      'init',
      'doctor',
      'create',
      'list',
      'send',
      'approve',
      'reject',
      'logs',
      'kill',
      'mcp',
      'keys',
      'audit',
      'usage',
      'login',
      'logout',
      'whoami',
      'routine',
      'setup',
    ])
      expect(r.out + r.err).toContain(cmd);
  });

  it('`ag whoami`, `ag routine list`, `ag login`, `ag logout` and `ag setup telegram` answer as documented', async () => {
    const who = await ag(['whoami'], env);
    expect(who.code, who.err).toBe(0);
    expect(who.out + who.err).toMatch(/admin/);
    const routines = await ag(['routine', 'list', '--json'], env);
    expect(routines.code, routines.err).toBe(0);
    expect(JSON.parse(routines.out)).toMatchObject({ routines: [], total: 0 });
    // This server has no identity provider: login says what the operator sets, and what to use instead.
    const login = await ag(['login', '--no-browser'], env);
    expect(login.code).toBe(1);
    expect(login.err).toMatch(/does not offer sign-in.*AEGIS_OIDC_ISSUER.*--token/s);
    const logout = await ag(['logout'], env);
    expect(logout.code, logout.err).toBe(0);
    expect(logout.out + logout.err).toContain('nothing to forget');
    const setup = await ag(
      ['setup', 'telegram', '--non-interactive', '--config', join(ws.folder(), 'c.yaml')],
      env,
    );
    expect(setup.code).toBe(1);
    expect(setup.err).toContain('--token is required with --non-interactive');
  });

  it('an unknown command is refused naming the commands, never taken as a session brief', async () => {
    const r = await ag(['frobnicate'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown command `ag frobnicate`\. The commands: serve, run/);
    expect(
      (await server.aegis.sessions.list({}, { id: null, admin: true })).sessions.map((s) => s.name),
    ).not.toContain('frobnicate');
  });
});

describe('ag run "<prompt>" --cwd DIR and its flags', () => {
  it('--cwd --no-stream --model --name: the final text, a session with that name and model', async () => {
    const dir = ws.folder();
    const r = await ag(
      [
        'run',
        script({ say: 'The answer is 42.' }),
        '--cwd',
        dir,
        '--no-stream',
        '--model',
        'scripted-large',
        '--name',
        'cc-run',
      ],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('The answer is 42.\n');
    const [s] = (await server.aegis.sessions.list({ workDir: dir }, { id: null, admin: true })).sessions;
    expect(s).toMatchObject({ name: 'cc-run', model: 'scripted-large' });
  });

  it.each([['-y'], ['--accept-permissions']])('%s approves every permission request', async (flag) => {
    const dir = ws.folder();
    const r = await ag(['run', writeFile, '--cwd', dir, flag], env);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('Allow?');
    expect(existsSync(join(dir, 'out.txt'))).toBe(true);
  });

  it('--yes quiets the status lines but approves nothing, and says so in one line', async () => {
    const dir = ws.folder();
    const r = await ag(['run', writeFile, '--cwd', dir, '--yes'], env, { input: 'n\n' });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('--yes only quiets status lines: permission requests are still asked');
    expect(r.err).toContain('Allow?');
    expect(r.err).not.toMatch(/Created session|Done in/);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it('--port points at a server on that port', async () => {
    const r = await ag(
      ['run', script({ say: 'hi' }), '--cwd', ws.folder(), '--port', new URL(server.url).port],
      {
        HOME: ws.base,
      },
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('hi\n');
  });
});

describe('ag create "<prompt>" --cwd DIR (getting started)', () => {
  it('takes the prompt as its argument and prints the session id', async () => {
    const dir = ws.folder();
    const r = await ag(['create', script({ say: 'Analyzed.' }), '--cwd', dir, '--json'], env);
    expect(r.code, r.err).toBe(0);
    const created = JSON.parse(r.out) as { id: string; promptDelivery: unknown };
    expect(created.promptDelivery).not.toBeNull();
    const read = await until(
      () => server.aegis.sessions.read(created.id, {}, { id: null, admin: true }),
      (x) => x.entries.some((e) => e.text === 'Analyzed.'),
    );
    expect(read.entries.map((e) => e.text)).toContain('Analyzed.');
  });

  it('then `ag list` shows it', async () => {
    const r = await ag(['list', '--json'], env);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { sessions: unknown[] }).sessions.length).toBeGreaterThan(0);
  });
});

describe('ag init', () => {
  it('--list-templates, --defaults and --force work', async () => {
    const home = ws.folder();
    const local = { HOME: home };
    expect((await ag(['init', '--list-templates'], local, { cwd: home })).code).toBe(0);
    const first = await ag(['init', '--defaults'], local, { cwd: home });
    expect(first.code, first.err).toBe(0);
    expect(existsSync(join(home, '.aegis', 'config.yaml'))).toBe(true);
    const again = await ag(['init', '--defaults'], local, { cwd: home });
    expect(again.code).not.toBe(0);
    expect((await ag(['init', '--defaults', '--force'], local, { cwd: home })).code).toBe(0);
  });

  it('--force creates a token even on localhost, a new one each time; `ag` here sends it', async () => {
    const home = ws.folder();
    const file = join(home, '.aegis', 'config.yaml');
    const tokenIn = () => /\n {2}authToken: ([0-9a-f]{64})\n/.exec(readFileSync(file, 'utf8'))?.[1];
    const r = await ag(['init', '--defaults', '--force', '--json'], { HOME: home }, { cwd: home });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ tokenCreated: true });
    const token = tokenIn();
    expect(token).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await ag(['init', '--defaults', '--force'], { HOME: home }, { cwd: home })).code).toBe(0);
    expect(tokenIn()).not.toBe(token);
    // A loopback server with that file requires the token; `ag` in the folder sends it.
    const guarded = await startScripted(ws.folder(), { authToken: tokenIn() as string });
    try {
      expect((await fetch(`${guarded.url}/v1/sessions`)).status).toBe(401);
      const listed = await ag(['list', '--json'], { HOME: home, AEGIS_BASE_URL: guarded.url }, { cwd: home });
      expect(listed.code, listed.err).toBe(0);
    } finally {
      await guarded.close();
    }
  });

  it('--model, --name and --from-template <session template> set what `ag create` starts here', async () => {
    const home = ws.folder();
    const r = await ag(
      [
        'init',
        '--defaults',
        '--model',
        'scripted-large',
        '--name',
        'reviewer',
        '--from-template',
        'code-reviewer',
      ],
      { HOME: home },
      { cwd: home },
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/session template "code-reviewer"/);
    const created = await ag(['create', '--json', '--cwd', home], { ...env, HOME: home }, { cwd: home });
    expect(created.code, created.err).toBe(0);
    const s = JSON.parse(created.out) as {
      session?: { model: string; name: string; templateId?: string };
      model?: string;
      name?: string;
    };
    const session = s.session ?? (s as { model: string; name: string });
    expect(session).toMatchObject({ model: 'scripted-large', name: 'reviewer' });
    // A flag still wins over the folder's default.
    const named = await ag(
      ['create', '--json', '--cwd', home, '--name', 'other', '--new'],
      { ...env, HOME: home },
      { cwd: home },
    );
    expect(named.code, named.err).toBe(0);
    expect(JSON.parse(named.out).name ?? JSON.parse(named.out).session.name).toBe('other');
  });

  it('--from-template with a name that is no template is refused at create, naming it', async () => {
    const home = ws.folder();
    expect(
      (await ag(['init', '--defaults', '--from-template', 'no-such-template'], { HOME: home }, { cwd: home }))
        .code,
    ).toBe(0);
    const created = await ag(['create', '--json', '--cwd', home], { ...env, HOME: home }, { cwd: home });
    expect(created.code).not.toBe(0);
    expect(created.err).toMatch(/no-such-template/);
  });
});

describe('ag doctor', () => {
  it('runs every check and says what a server started here would warn about', async () => {
    const home = ws.folder();
    const r = await ag(
      ['doctor', '--json'],
      { HOME: home, AEGIS_TMUX_SESSION: 'aegis', AEGIS_PORT: '0' },
      { cwd: home },
    );
    const report = JSON.parse(r.out) as { checks: { id: string; detail: string }[] };
    const startup = report.checks.find((c) => c.id === 'startup');
    expect(startup?.detail).toMatch(/AEGIS_TMUX_SESSION is set but not supported/);
  });
});
