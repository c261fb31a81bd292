import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { configFromEnv } from '../config-env.js';
import { globToRegExp } from './filter.js';

describe('channel settings', () => {
  it('reads AEGIS_TG_* and merges them field by field over the config file', () => {
    const env = configFromEnv({
      AEGIS_TG_TOKEN: ' 123:abc ',
      AEGIS_TG_GROUP: '-1001234567890',
      AEGIS_TG_API_ROOT: 'http://127.0.0.1:8081/',
    });
    const file = { channels: { telegram: { token: 'old', group: 1, allowedUserIds: [7, 8] } } };
    const config = resolveConfig(file, env);
    expect(config.channels.telegram).toMatchObject({
      token: '123:abc',
      group: -1001234567890,
      allowedUserIds: [7, 8],
      apiRoot: 'http://127.0.0.1:8081',
      mode: 'polling',
      role: 'operator',
    });
    expect(
      resolveConfig(configFromEnv({ AEGIS_TG_ALLOWED_USERS: '1, 2' }), {
        channels: { telegram: { token: 't', group: -1 } },
      }).channels.telegram?.allowedUserIds,
    ).toEqual([1, 2]);
  });

  it("takes the chat users' role from AEGIS_TG_ROLE over the config file, and names it when unknown", () => {
    const file = { channels: { telegram: { token: 't', group: -1, role: 'viewer' as const } } };
    expect(resolveConfig(file, configFromEnv({ AEGIS_TG_ROLE: ' Admin ' })).channels.telegram?.role).toBe(
      'admin',
    );
    expect(resolveConfig(file, configFromEnv({})).channels.telegram?.role).toBe('viewer');
    expect(() => resolveConfig(file, configFromEnv({ AEGIS_TG_ROLE: 'owner' }))).toThrow(
      /channels\.telegram\.role \(environment variable AEGIS_TG_ROLE\): must be admin, operator or viewer/,
    );
  });

  it('names the variable or key that is wrong', () => {
    expect(() => resolveConfig(configFromEnv({ AEGIS_TG_TOKEN: 't', AEGIS_TG_GROUP: 'my-group' }))).toThrow(
      /channels\.telegram\.group \(environment variable AEGIS_TG_GROUP\)/,
    );
    expect(() =>
      resolveConfig(
        configFromEnv({ AEGIS_TG_TOKEN: 't', AEGIS_TG_GROUP: '-1', AEGIS_TG_ALLOWED_USERS: 'alice' }),
      ),
    ).toThrow(/AEGIS_TG_ALLOWED_USERS/);
    expect(() =>
      resolveConfig({ channels: { telegram: { token: 't', group: -1, mode: 'webhook' } } }),
    ).toThrow(/channels\.telegram\.webhookSecret: is required in webhook mode/);
    expect(() =>
      // As read from a config file: the event name is not checked by the type system there.
      resolveConfig(JSON.parse('{"channels":{"slack":{"token":"t","channel":"C1","events":["nope"]}}}')),
    ).toThrow(/channels\.slack\.events\.0: must be an event type/);
    expect(() =>
      resolveConfig(JSON.parse('{"channels":{"telegram":{"token":"t","group":-1,"role":"owner"}}}')),
    ).toThrow(/channels\.telegram\.role: must be admin, operator or viewer/);
    // The variable is named only when the value came from it.
    expect(() =>
      resolveConfig(configFromEnv({ AEGIS_TG_TOKEN: 't', AEGIS_TG_GROUP: '-1', AEGIS_TG_ROLE: 'owner' })),
    ).toThrow(
      /channels\.telegram\.role \(environment variable AEGIS_TG_ROLE\): must be admin, operator or viewer/,
    );
    expect(() =>
      resolveConfig({
        channels: { slack: { token: 't', channel: 'C1', appToken: 'xoxb-not-an-app-token' } },
      }),
    ).toThrow(/channels\.slack\.appToken: must be an app-level token \(xapp-…\)/);
  });

  it('matches workDir globs: * within a segment, ** at any depth', () => {
    expect(globToRegExp('/srv/*/app').test('/srv/a/app')).toBe(true);
    expect(globToRegExp('/srv/*/app').test('/srv/a/b/app')).toBe(false);
    expect(globToRegExp('/srv/**').test('/srv')).toBe(true);
    expect(globToRegExp('/srv/**').test('/srv/a/b')).toBe(true);
    expect(globToRegExp('/srv/**').test('/srvx')).toBe(false);
    expect(globToRegExp('ci-?').test('ci-1')).toBe(true);
  });
});
