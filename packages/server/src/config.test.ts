import { describe, expect, it } from 'vitest';
import { configFromEnv, resolveConfig } from './config.js';

describe('webhook configuration', () => {
  const url = 'https://hooks.example.com/aegis';

  it('AEGIS_WEBHOOKS without AEGIS_WEBHOOK_SECRET names the variable and how to set it', () => {
    let message = '';
    try {
      configFromEnv({ AEGIS_WEBHOOKS: url });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('AEGIS_WEBHOOK_SECRET is not set');
    expect(message).toContain('export AEGIS_WEBHOOK_SECRET=$(openssl rand -hex 32)');
    expect(message).toContain('at least 16 characters');
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

  it('a config-file webhook with no or a short secret is rejected with the field and the fix', () => {
    expect(() => resolveConfig({ webhooks: [{ url } as never] })).toThrow(
      /webhooks\.0\.secret: each webhook needs a `secret`/,
    );
    expect(() => resolveConfig({ webhooks: [{ url, secret: 'x' }] })).toThrow(
      /webhooks\.0\.secret: the signing secret must be at least 16 characters/,
    );
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
