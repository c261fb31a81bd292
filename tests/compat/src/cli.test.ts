// The `ag` commands and flags of the documents, run as a user would.
import { existsSync, readFileSync } from 'node:fs';
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
    ])
      expect(r.out + r.err).toContain(cmd);
  });

  it.each([[['setup', 'telegram']], [['login']], [['logout']], [['whoami']], [['routine', 'list']]])(
    '`ag %s` (not supported here) is refused naming the commands, never taken as a session brief',
    async (args) => {
      const r = await ag(args, env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/Unknown command `ag \w+`\. The commands: serve, run/);
      expect(
        (await server.aegis.sessions.list({}, { id: null, admin: true })).sessions.map((s) => s.name),
      ).not.toContain(args.join(' '));
    },
  );
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
  it('--list-templates, --defaults and --force work; --from-template with a session template name says which exist', async () => {
    const home = ws.folder();
    const local = { HOME: home };
    expect((await ag(['init', '--list-templates'], local, { cwd: home })).code).toBe(0);
    const first = await ag(['init', '--defaults'], local, { cwd: home });
    expect(first.code, first.err).toBe(0);
    expect(existsSync(join(home, '.aegis', 'config.yaml'))).toBe(true);
    const again = await ag(['init', '--defaults'], local, { cwd: home });
    expect(again.code).not.toBe(0);
    expect((await ag(['init', '--defaults', '--force'], local, { cwd: home })).code).toBe(0);
    const tpl = await ag(['init', '--from-template', 'code-reviewer', '--force'], local, { cwd: home });
    expect(tpl.err).toMatch(/Unknown template "code-reviewer"; available: default, strict, ci, team/);
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
