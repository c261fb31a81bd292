import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';
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

describe('ag init', () => {
  it('without a terminal and without --defaults uses the defaults, says so, and never waits on stdin', async () => {
    const dir = freshDir();
    const r = await init(dir, [], true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No terminal to ask questions on: using the defaults');
    const cfg = readConfig(join(dir, '.aegis', 'config.yaml'));
    expect(cfg.server).toMatchObject({ host: '127.0.0.1', port: 9100, permissionMode: 'default' });
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
    expect(JSON.parse(r.out)).toEqual({ path: join(dir, '.aegis', 'config.yaml'), template: 'ci' });
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

  it('an unknown template is a clear error listing the names, and writes nothing', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--from-template', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('✖ Unknown template "nope"; available: default, strict, ci, team.');
    expect(() => statSync(join(dir, '.aegis', 'config.yaml'))).toThrow();
  });
});
