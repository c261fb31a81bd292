import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@aegis/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, connection, loadConfig, readConfig } from './config.js';
import { serverSettings } from './server-settings.js';
import { TEMPLATES } from './templates.js';

const VARS = ['AEGIS_BASE_URL', 'AEGIS_PORT', 'AEGIS_HOST', 'AEGIS_AUTH_TOKEN', 'AEGIS_STATE_DIR'];

let cwd: string;
let home: string;

function write(path: string, text: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

beforeEach(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cfg-')));
  cwd = join(base, 'project');
  home = join(base, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
  for (const v of VARS) vi.stubEnv(v, undefined);
});
afterEach(() => vi.unstubAllEnvs());

describe('which config file is read', () => {
  const all = () => {
    write(join(home, '.aegis', 'config.json'), '{"server":{"port":9005}}');
    write(join(home, '.aegis', 'config.yaml'), 'server: { port: 9004 }');
    write(join(cwd, 'aegis.config.json'), '{"server":{"port":9003}}');
    write(join(cwd, '.aegis', 'config.yaml'), 'server:\n  port: 9002');
  };

  it('--config wins over every other file', () => {
    all();
    const explicit = write(join(cwd, 'other.yaml'), 'server: { port: 9001 }');
    expect(loadConfig('other.yaml', { cwd, home })).toMatchObject({ path: explicit, server: { port: 9001 } });
  });

  it.each([
    ['./.aegis/config.yaml', 9002, [] as string[]],
    ['./aegis.config.json', 9003, ['.aegis/config.yaml']],
    ['~/.aegis/config.yaml', 9004, ['.aegis/config.yaml', 'aegis.config.json']],
    ['~/.aegis/config.json', 9005, ['.aegis/config.yaml', 'aegis.config.json', 'home:.aegis/config.yaml']],
  ])('then %s', async (_name, port, removed) => {
    all();
    const { rmSync } = await import('node:fs');
    for (const r of removed)
      rmSync(r.startsWith('home:') ? join(home, r.slice(5)) : join(cwd, r), { force: true });
    expect(loadConfig(undefined, { cwd, home }).server.port).toBe(port);
  });

  it('no file at all means defaults', () => {
    expect(loadConfig(undefined, { cwd, home })).toEqual({ path: null, server: {}, client: {} });
  });

  it('a --config that does not exist is an error naming it', () => {
    expect(() => loadConfig('missing.yaml', { cwd, home })).toThrow(
      /missing\.yaml \(--config\) does not exist/,
    );
  });
});

describe('invalid files get an error naming the file and the field', () => {
  it.each([
    ['server:\n  port: 99999\n', /config\.yaml: field server\.port: .*65535/],
    ['server: {}\nport: 9100\n', /config\.yaml: unknown field port; the top level has `server:`/],
    ['client:\n  baseUrl: not a url\n', /field client\.baseUrl/],
    ['client:\n  tokn: x\n', /unknown field client\.tokn/],
    ['server: [1, 2\n', /config\.yaml is not valid YAML/],
  ])('every command: %j', (text, message) => {
    const path = write(join(cwd, '.aegis', 'config.yaml'), text);
    expect(() => readConfig(path)).toThrow(ConfigError);
    expect(() => readConfig(path)).toThrow(message);
  });

  it.each([
    ['server:\n  prot: 9100\n', /config\.yaml: unknown field server\.prot/],
    ['server:\n  permissionMode: yolo\n', /config\.yaml: field server\.permissionMode/],
    ['server:\n  limits:\n    sessionsPerKey: many\n', /config\.yaml: field server\.limits\.sessionsPerKey/],
  ])('the server settings (serve, run, doctor): %j', (text, message) => {
    const cfg = readConfig(write(join(cwd, '.aegis', 'config.yaml'), text));
    expect(() => serverSettings(cfg)).toThrow(ConfigError);
    expect(() => serverSettings(cfg)).toThrow(message);
  });

  it('malformed JSON', () => {
    const path = write(join(cwd, 'aegis.config.json'), '{"server": ');
    expect(() => readConfig(path)).toThrow(/aegis\.config\.json is not valid JSON/);
  });
});

describe('the flat file of the earlier Aegis documents (no server: / client:)', () => {
  const documented =
    'baseUrl: http://127.0.0.1:9100\ndashboardEnabled: true\nauthToken: a-token-of-16-chars-or-more\nmemoryBridge:\n  enabled: true\n';

  it('is read: baseUrl for the clients, the server keys for the server, the rest ignored with a warning', async () => {
    const { configFileWarnings } = await import('./server-settings.js');
    const path = write(join(home, '.aegis', 'config.yaml'), documented);
    const cfg = loadConfig(undefined, { cwd, home });
    expect(cfg).toMatchObject({ path, flat: true, client: { baseUrl: 'http://127.0.0.1:9100' } });
    expect(connection(cfg).token).toBe('a-token-of-16-chars-or-more');
    const settings = resolveConfig(serverSettings(cfg));
    expect(settings).toMatchObject({ dashboardEnabled: true, authToken: 'a-token-of-16-chars-or-more' });
    expect(configFileWarnings(cfg)).toEqual([
      expect.stringMatching(
        /config\.yaml: the key `memoryBridge` is not supported by this server and is ignored: shared memory is always on/,
      ),
    ]);
  });

  it('a bad value of a known key still names the key', () => {
    const cfg = readConfig(write(join(cwd, '.aegis', 'config.yaml'), 'port: 99999\n'));
    expect(() => serverSettings(cfg)).toThrow(/config\.yaml: field port: .*65535/);
  });
});

describe('precedence inside the settings: flags > environment > file > defaults', () => {
  const file = () =>
    readConfig(write(join(cwd, '.aegis', 'config.yaml'), 'server:\n  port: 9300\n  logLevel: warn\n'));

  it('the file beats the defaults', () => {
    const resolved = resolveConfig(serverSettings(file()));
    expect(resolved).toMatchObject({ port: 9300, logLevel: 'warn', host: '127.0.0.1' });
  });

  it('AEGIS_* beats the file, and a flag beats both', () => {
    vi.stubEnv('AEGIS_PORT', '9400');
    expect(serverSettings(file()).port).toBe(9400);
    expect(serverSettings(file(), { port: 9500, host: undefined })).toMatchObject({ port: 9500 });
  });

  it('the client URL: flag > AEGIS_BASE_URL > AEGIS_PORT > client.baseUrl > server.port', () => {
    const cfg = readConfig(
      write(
        join(cwd, '.aegis', 'config.yaml'),
        'server:\n  host: 0.0.0.0\n  port: 9300\n  authToken: from-the-server-section\n',
      ),
    );
    expect(connection(cfg)).toEqual({ baseUrl: 'http://127.0.0.1:9300', token: 'from-the-server-section' });
    const withClient = { ...cfg, client: { baseUrl: 'http://box:1/', token: 'client-token' } };
    expect(connection(withClient)).toEqual({ baseUrl: 'http://box:1', token: 'client-token' });
    vi.stubEnv('AEGIS_PORT', '9400');
    expect(connection(withClient).baseUrl).toBe('http://127.0.0.1:9400');
    vi.stubEnv('AEGIS_BASE_URL', 'http://env-host:9500');
    vi.stubEnv('AEGIS_AUTH_TOKEN', 'env-token');
    expect(connection(withClient)).toEqual({ baseUrl: 'http://env-host:9500', token: 'env-token' });
    expect(connection(withClient, { port: '9600', token: 'flag-token' })).toEqual({
      baseUrl: 'http://127.0.0.1:9600',
      token: 'flag-token',
    });
    expect(connection(withClient, { url: 'http://flag-host:1' }).baseUrl).toBe('http://flag-host:1');
  });
});

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.name, t] as const))('%s is a valid config file', (_name, template) => {
    const path = write(join(cwd, '.aegis', 'config.yaml'), template.render({ port: 9311 }));
    const cfg = readConfig(path);
    const resolved = resolveConfig(serverSettings(cfg));
    expect(resolved.port).toBe(9311);
    expect(connection(cfg).baseUrl).toBe('http://127.0.0.1:9311');
  });

  it('the team template carries a fresh bootstrap token each time', () => {
    const team = TEMPLATES.find((t) => t.name === 'team')!;
    const token = (text: string) => /authToken: ([0-9a-f]{64})/.exec(text)?.[1];
    const a = token(team.render({ port: 1 }));
    expect(a).toBeDefined();
    expect(token(team.render({ port: 1 }))).not.toBe(a);
  });
});
