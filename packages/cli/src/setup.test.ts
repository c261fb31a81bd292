import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeTelegramApi, startFakeTelegramApi } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ag } from './__fixtures__/ag.js';
import type { Check } from './doctor-checks.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-setup-')));
const apis: FakeTelegramApi[] = [];
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
});

async function telegramApi(options: Parameters<typeof startFakeTelegramApi>[0] = {}) {
  const tg = await startFakeTelegramApi(options);
  apis.push(tg);
  return tg;
}

const home = () => {
  const dir = join(base, `home-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  return dir;
};

describe('ag setup telegram --non-interactive', () => {
  it('checks the token, finds the group from a message sent to the bot, and writes the config', async () => {
    const tg = await telegramApi();
    tg.userMessage({ id: 1001, first_name: 'Alice' }, '/start@aegis_test_bot');
    const cwd = home();
    const config = join(cwd, 'aegis.yaml');
    writeFileSync(config, '# my settings\nserver:\n  port: 9200\n');
    const r = await ag(
      [
        'setup',
        'telegram',
        '--non-interactive',
        '--json',
        '--config',
        config,
        '--token',
        tg.token,
        '--api-root',
        tg.url,
        '--wait-seconds',
        '3',
      ],
      { cwd, env: { HOME: cwd } },
    );
    expect(r.err).toContain('✓ Token works: @aegis_test_bot');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, group: -1001234567890, allowedUserIds: [1001] });
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('# my settings');
    expect(parse(text)).toEqual({
      server: {
        port: 9200,
        channels: {
          telegram: {
            token: tg.token,
            group: -1001234567890,
            allowedUserIds: [1001],
            role: 'operator',
            apiRoot: tg.url,
          },
        },
      },
    });
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });

  it('refuses a token Telegram refuses, and a group without topics, saying what to do', async () => {
    const tg = await telegramApi({ isForum: false });
    const cwd = home();
    const bad = await ag(
      [
        'setup',
        'telegram',
        '--non-interactive',
        '--token',
        '1:nope',
        '--api-root',
        tg.url,
        '--group',
        '-1001234567890',
        '--allowed-users',
        '1',
      ],
      {
        cwd,
        env: { HOME: cwd },
      },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/refused the bot token \(401 Unauthorized\)/);
    const noTopics = await ag(
      [
        'setup',
        'telegram',
        '--non-interactive',
        '--token',
        tg.token,
        '--api-root',
        tg.url,
        '--group',
        '-1001234567890',
        '--allowed-users',
        '1',
      ],
      { cwd, env: { HOME: cwd } },
    );
    expect(noTopics.code).not.toBe(0);
    expect(noTopics.err).toMatch(/has no topics: .*turn them on/);
    const missing = await ag(['setup', 'telegram', '--non-interactive', '--api-root', tg.url], {
      cwd,
      env: { HOME: cwd },
    });
    expect(missing.err).toContain('--token is required with --non-interactive');
  });

  it('writes the role chat users act with (--role), and refuses an unknown one before trying the token', async () => {
    const tg = await telegramApi();
    const cwd = home();
    const config = join(cwd, 'aegis.yaml');
    const flags = [
      '--token',
      tg.token,
      '--api-root',
      tg.url,
      '--group',
      '-1001234567890',
      '--allowed-users',
      '7',
    ];
    const r = await ag(
      ['setup', 'telegram', '--non-interactive', '--json', '--config', config, ...flags, '--role', 'Admin'],
      { cwd, env: { HOME: cwd } },
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, role: 'admin' });
    expect(parse(readFileSync(config, 'utf8')).server.channels.telegram).toMatchObject({
      allowedUserIds: [7],
      role: 'admin',
    });

    const calls = tg.calls.length;
    const bad = await ag(
      ['setup', 'telegram', '--non-interactive', '--config', config, ...flags, '--role', 'owner'],
      { cwd, env: { HOME: cwd } },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain(
      '"owner" is not a role chat users can act with; choose viewer (reads only), operator (drives the sessions it started from the chat; the default) or admin (drives every session) (--role).',
    );
    // Nothing was sent to Telegram, and the file kept the earlier setup.
    expect(tg.calls.length).toBe(calls);
    expect(parse(readFileSync(config, 'utf8')).server.channels.telegram.role).toBe('admin');
  });
});

describe('ag doctor checks channels', () => {
  const doctor = async (env: Record<string, string>) => {
    const cwd = home();
    const r = await ag(['doctor', '--json'], {
      cwd,
      env: {
        HOME: cwd,
        AEGIS_STATE_DIR: `${cwd}-state`,
        AEGIS_PORT: '0',
        AEGIS_ALLOWED_WORKDIRS: cwd,
        ...env,
      },
    });
    const report = JSON.parse(r.out) as { ok: boolean; checks: Check[] };
    return { code: r.code, check: report.checks.find((c) => c.id === 'channels') as Check };
  };

  it('passes a working Telegram setup and fails a refused token', async () => {
    const tg = await telegramApi();
    const env = {
      AEGIS_TG_GROUP: '-1001234567890',
      AEGIS_TG_ALLOWED_USERS: '1001',
      AEGIS_TG_API_ROOT: tg.url,
    };
    const good = await doctor({ ...env, AEGIS_TG_TOKEN: tg.token });
    expect(good.check).toMatchObject({ ok: true, required: true });
    expect(good.check.detail).toContain(
      'telegram: @aegis_test_bot in "Aegis test" (topics on), 1 allowed user',
    );
    const bad = await doctor({ ...env, AEGIS_TG_TOKEN: '1:wrong' });
    expect(bad.check).toMatchObject({ ok: false, required: true });
    expect(bad.check.detail).toMatch(/refused the bot token/);
    expect(bad.code).toBe(1);
  });
});
