import { describe, expect, it } from 'vitest';
import { resolveConfig, sessionStoreOf } from './config.js';
import { configFromEnv } from './config-env.js';

describe('webhook configuration', () => {
  const url = 'https://hooks.example.com/aegis';

  it('AEGIS_WEBHOOKS without AEGIS_WEBHOOK_SECRET starts, with unsigned deliveries (the documented form)', () => {
    expect(resolveConfig(configFromEnv({ AEGIS_WEBHOOKS: url })).webhooks).toEqual([{ url }]);
  });

  it('a short AEGIS_WEBHOOK_SECRET says how long it is and how long it must be', () => {
    expect(() => configFromEnv({ AEGIS_WEBHOOKS: url, AEGIS_WEBHOOK_SECRET: 'short' })).toThrow(
      /AEGIS_WEBHOOK_SECRET is only 5 characters.*at least 16/,
    );
  });

  it('a secret of 16 or more characters signs every listed receiver', () => {
    const secret = 'a'.repeat(16);
    const env = { AEGIS_WEBHOOKS: `${url}, https://b.example.com/h`, AEGIS_WEBHOOK_SECRET: secret };
    expect(resolveConfig(configFromEnv(env)).webhooks).toEqual([
      { url, secret },
      { url: 'https://b.example.com/h', secret },
    ]);
  });

  it('a config-file webhook may omit the secret (unsigned), but a short one is rejected with the field', () => {
    expect(resolveConfig({ webhooks: [{ url }] }).webhooks).toEqual([{ url }]);
    expect(() => resolveConfig({ webhooks: [{ url, secret: 'x' }] })).toThrow(
      /webhooks\.0\.secret: the signing secret must be at least 16 characters/,
    );
  });
});

describe('session store selection', () => {
  const url = 'postgres://aegis:pw@db.internal:6543/aegis';
  const store = (env: Record<string, string>, file: Record<string, unknown> = {}) =>
    resolveConfig(file, configFromEnv(env));

  it('is the embedded SQLite file by default, and for `sqlite` and `file`', () => {
    expect(sessionStoreOf(store({}))).toBe('sqlite');
    expect(sessionStoreOf(store({ AEGIS_SESSION_STORE: 'sqlite' }))).toBe('sqlite');
    expect(sessionStoreOf(store({ AEGIS_SESSION_STORE: 'file' }))).toBe('sqlite');
    expect(sessionStoreOf(store({ AEGIS_SESSION_STORE: 'FILE' }))).toBe('sqlite');
  });

  it('reads AEGIS_SESSION_STORE=postgres with its URL, schema and pool size', () => {
    const c = store({
      AEGIS_SESSION_STORE: 'postgres',
      AEGIS_POSTGRES_URL: url,
      AEGIS_PG_SCHEMA: 'aegis_prod',
      AEGIS_PG_POOL_MAX: '25',
    });
    expect(sessionStoreOf(c)).toBe('postgres');
    expect(c).toMatchObject({ postgresUrl: url, pgSchema: 'aegis_prod', pgPoolMax: 25 });
  });

  it('takes the same settings from the config file, the environment winning', () => {
    const c = store(
      { AEGIS_PG_SCHEMA: 'from_env' },
      { sessionStore: 'postgres', postgresUrl: url, pgSchema: 'from_file', pgPoolMax: 3 },
    );
    expect(sessionStoreOf(c)).toBe('postgres');
    expect(c).toMatchObject({ pgSchema: 'from_env', pgPoolMax: 3 });
  });

  it('a URL alone selects PostgreSQL; an explicit sqlite keeps the file', () => {
    expect(sessionStoreOf(store({ AEGIS_POSTGRES_URL: url }))).toBe('postgres');
    expect(sessionStoreOf(store({ AEGIS_POSTGRES_URL: url, AEGIS_SESSION_STORE: 'sqlite' }))).toBe('sqlite');
  });

  it('refuses redis (or anything else) saying PostgreSQL is the supported shared store, never falling back', () => {
    for (const kind of ['redis', 'mysql', 'memory']) {
      expect(() => store({ AEGIS_SESSION_STORE: kind })).toThrow(
        new RegExp(
          `sessionStore \\(AEGIS_SESSION_STORE, --store\\): "${kind}" is not a session store .*PostgreSQL is the supported shared store`,
        ),
      );
    }
  });

  it('refuses postgres without a URL, and a schema name that is not an identifier', () => {
    expect(() => store({ AEGIS_SESSION_STORE: 'postgres' })).toThrow(
      /no database URL is set: set AEGIS_POSTGRES_URL/,
    );
    expect(() => store({ AEGIS_POSTGRES_URL: url, AEGIS_PG_SCHEMA: 'a-b; drop' })).toThrow(/pgSchema/);
    expect(() => store({ AEGIS_POSTGRES_URL: url, AEGIS_PG_POOL_MAX: '0' })).toThrow(/pgPoolMax/);
  });
});

describe('event stream limits', () => {
  it('default to 20 streams a key, a 1 MiB live buffer and a 30 s blocked limit', () => {
    expect(resolveConfig({}).eventStreams).toEqual({
      perKey: 20,
      bufferBytes: 1024 * 1024,
      blockedTimeoutMs: 30_000,
    });
  });

  it('are read from AEGIS_EVENT_STREAMS_PER_KEY, _BUFFER_BYTES and _BLOCKED_MS', () => {
    const env = {
      AEGIS_EVENT_STREAMS_PER_KEY: '5',
      AEGIS_EVENT_STREAM_BUFFER_BYTES: '131072',
      AEGIS_EVENT_STREAM_BLOCKED_MS: '5000',
    };
    expect(resolveConfig(configFromEnv(env)).eventStreams).toEqual({
      perKey: 5,
      bufferBytes: 131072,
      blockedTimeoutMs: 5000,
    });
    expect(resolveConfig(configFromEnv({ AEGIS_EVENT_STREAMS_PER_KEY: '3' })).eventStreams.perKey).toBe(3);
  });

  it('refuse a limit that would make streams useless, naming the field', () => {
    expect(() => resolveConfig({ eventStreams: { perKey: 0 } })).toThrow(/eventStreams\.perKey/);
    expect(() => resolveConfig({ eventStreams: { blockedTimeoutMs: 10 } })).toThrow(
      /eventStreams\.blockedTimeoutMs/,
    );
  });
});

describe('where a bad setting came from', () => {
  it('names the environment variable only when the environment gave the value', () => {
    expect(() => resolveConfig({ port: -1 })).toThrow(/^Invalid configuration at port: /);
    expect(() => resolveConfig({ port: -1 })).not.toThrow(/AEGIS_PORT/);
    expect(() => resolveConfig(configFromEnv({ AEGIS_PORT: '-1' }))).toThrow(
      /Invalid configuration at port \(environment variable AEGIS_PORT\): /,
    );
    // A spread of the layers (as `ag serve` merges file, environment and flags) keeps the origin.
    const file = { sessions: { idleEvictMs: -5 } };
    expect(() => resolveConfig({ ...file, ...configFromEnv({}) })).not.toThrow(/AEGIS_IDLE_EVICT_MS/);
    expect(() => resolveConfig({ ...file, ...configFromEnv({ AEGIS_IDLE_EVICT_MS: '-5' }) })).toThrow(
      /sessions\.idleEvictMs \(environment variable AEGIS_IDLE_EVICT_MS\)/,
    );
  });
});
