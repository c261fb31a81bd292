import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AG_BIN, ag, waitForText } from './__fixtures__/ag.js';
import { readConfig } from './config.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-init-')));
let n = 0;
const freshDir = () => {
  const dir = join(base, `p${n++}`);
  mkdirSync(dir);
  return dir;
};
const init = (cwd: string, args: string[], keepStdinOpen = false) =>
  ag(['init', ...args], { cwd, env: { HOME: base }, keepStdinOpen, timeoutMs: 20_000 });

/** What a prompt library drew, as text: escape sequences and whitespace (it moves the cursor) removed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point
const flat = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\s+/g, '');

/** `ag init` on a terminal (a pseudo-terminal from util-linux `script`); `type` writes keys to it. */
function initOnTerminal(cwd: string) {
  const child = spawn('script', ['-q', '-e', '-c', `"${process.execPath}" "${AG_BIN}" init`, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: base, TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  child.stdout.on('data', (d) => (shown += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = new Promise<number | null>((r) =>
    child.on('close', (c) => {
      clearTimeout(timer);
      r(c);
    }),
  );
  return {
    code,
    screen: () => flat(shown),
    waitFor: (text: string) => waitForText(() => flat(shown), flat(text)),
    type: (keys: string) => child.stdin.write(keys),
  };
}

describe('ag init on a terminal', () => {
  it('asks for the folders sessions may work in (default: this one) and writes them', async () => {
    const dir = freshDir();
    const t = initOnTerminal(dir);
    await t.waitFor('Which template?');
    t.type('\r');
    await t.waitFor('Port for the server?');
    t.type('9301\r');
    await t.waitFor('Folders sessions may work in?');
    t.type('\r');
    expect(await t.code).toBe(0);
    const cfg = readConfig(join(dir, '.aegis', 'config.yaml'));
    expect(cfg.server).toMatchObject({ port: 9301, allowedWorkDirs: [dir] });
  });

  it.each([
    ['at the first question', 0],
    ['at the last question', 2],
  ])('Ctrl-C %s cancels: exit 130 and nothing written', async (_, answered) => {
    const dir = freshDir();
    const t = initOnTerminal(dir);
    const questions = ['Which template?', 'Port for the server?', 'Folders sessions may work in?'];
    for (const q of questions.slice(0, answered)) {
      await t.waitFor(q);
      t.type('\r');
    }
    await t.waitFor(questions[answered]!);
    t.type('\u0003');
    expect(await t.code).toBe(130);
    expect(t.screen()).toContain(flat('Cancelled: nothing was written.'));
    expect(existsSync(join(dir, '.aegis'))).toBe(false);
  });
});

describe('ag init', () => {
  it('without a terminal and without --defaults uses the defaults, says so, and never waits on stdin', async () => {
    const dir = freshDir();
    const r = await init(dir, [], true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No terminal to ask questions on: using the defaults');
    const cfg = readConfig(join(dir, '.aegis', 'config.yaml'));
    expect(cfg.server).toMatchObject({
      host: '127.0.0.1',
      port: 9100,
      permissionMode: 'default',
      allowedWorkDirs: [dir],
    });
  });

  it('--defaults writes the default template quietly', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--defaults']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('No terminal');
    expect(r.out).toContain('Wrote .aegis/config.yaml (template "default")');
    expect(readFileSync(join(dir, '.aegis', 'config.yaml'), 'utf8')).toContain('template "default"');
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, '.aegis'));
    writeFileSync(join(dir, '.aegis', 'config.yaml'), 'server: { port: 1234 }\n');
    const r = await init(dir, ['--defaults']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\.aegis\/config\.yaml already exists; pass --force/);
    expect(readFileSync(join(dir, '.aegis', 'config.yaml'), 'utf8')).toBe('server: { port: 1234 }\n');

    const forced = await init(dir, ['--defaults', '--force']);
    expect(forced.code).toBe(0);
    expect(readConfig(join(dir, '.aegis', 'config.yaml')).server.port).toBe(9100);
  });

  it('--list-templates lists the built-in templates (and --json gives them as data)', async () => {
    const human = await init(base, ['--list-templates']);
    expect(human.code).toBe(0);
    expect(
      human.out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['default', 'strict', 'ci', 'team']);
    const json = await init(base, ['--list-templates', '--json']);
    const { templates } = JSON.parse(json.out) as { templates: { name: string; description: string }[] };
    expect(templates.map((t) => t.name)).toEqual(['default', 'strict', 'ci', 'team']);
    expect(templates.every((t) => t.description.length > 10)).toBe(true);
  });

  it('--from-template ci writes the CI policies', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--from-template', 'ci', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      path: join(dir, '.aegis', 'config.yaml'),
      template: 'ci',
      tokenCreated: false,
    });
    const cfg = readConfig(join(dir, '.aegis', 'config.yaml'));
    expect(cfg.server.permissionMode).toBe('acceptEdits');
    expect(cfg.server.policies?.at(-1)).toEqual({ name: 'deny-the-rest', decision: 'deny' });
  });

  it('the team template is written readable by its owner only, with a warning about the secret', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--from-template', 'team']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('holds a bootstrap admin token');
    const path = join(dir, '.aegis', 'config.yaml');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfig(path).server).toMatchObject({ host: '0.0.0.0', authToken: expect.any(String) });
  });

  it('a name that is no config template is the session template of `ag run` / `ag create` here', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--from-template', 'pr-reviewer', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      template: 'default',
      sessionDefaults: { template: 'pr-reviewer' },
    });
    expect(readConfig(join(dir, '.aegis', 'config.yaml')).client).toMatchObject({ template: 'pr-reviewer' });
  });

  it('a template name that cannot be one is a clear error listing the config templates, and writes nothing', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--from-template', 'no such/thing']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'Unknown template "no such/thing": config templates are default, strict, ci, team',
    );
    expect(() => statSync(join(dir, '.aegis', 'config.yaml'))).toThrow();
  });
});
