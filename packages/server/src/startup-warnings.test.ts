import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { ignoredConfigKeyWarnings } from './compat/documented-settings.js';
import { resolveConfig } from './config.js';
import { configFromEnv } from './config-env.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { startupWarnings } from './startup-warnings.js';

const noWebhooks = { webhooks: [], agentEnv: {} };

describe('start-up warnings', () => {
  it('none for a plain configuration (IS_SANDBOX unset or 1)', () => {
    expect(startupWarnings(noWebhooks, {})).toEqual([]);
    expect(startupWarnings(noWebhooks, { IS_SANDBOX: '1' })).toEqual([]);
  });

  it('an ignored config key named after an inherited property gets no borrowed reason', () => {
    expect(ignoredConfigKeyWarnings('config.yaml', ['constructor', 'memoryBridge'])).toEqual([
      'config.yaml: the key `constructor` is not supported by this server and is ignored',
      expect.stringMatching(
        /^config\.yaml: the key `memoryBridge` is not supported by this server and is ignored: /,
      ),
    ]);
  });

  it('names unsigned webhook receivers and how to sign them', () => {
    const config = resolveConfig(configFromEnv({ AEGIS_WEBHOOKS: 'https://a.example/h' }));
    const [w] = startupWarnings(config, {});
    expect(w?.message).toMatch(/webhook deliveries are unsigned.*AEGIS_WEBHOOK_SECRET/);
    expect(w?.fields).toEqual({ webhooks: ['https://a.example/h'] });
  });

  it.each([
    ['yes', /IS_SANDBOX="yes" is passed to agents as IS_SANDBOX=1/],
    ['0', /IS_SANDBOX="0" is not passed to agents/],
  ])('says how IS_SANDBOX=%s reaches the agent', (value, message) => {
    expect(startupWarnings(noWebhooks, { IS_SANDBOX: value }).map((w) => w.message)).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it('names each documented variable this server does not support, never its value', () => {
    const messages = startupWarnings(noWebhooks, {
      AEGIS_TMUX_SESSION: 'aegis',
      AEGIS_HOOK_SECRET_HEADER_ONLY: 'hook-secret-123',
      AEGIS_REDIS_URL: 'redis://localhost:6379',
      // Supported since the channels (docs/channels.md): no warning.
      AEGIS_TG_TOKEN: 'bot-secret-123',
    }).map((w) => w.message);
    expect(messages).toEqual([
      expect.stringMatching(/^AEGIS_TMUX_SESSION is set but not supported .*ACP/),
      expect.stringMatching(/^AEGIS_HOOK_SECRET_HEADER_ONLY is set but not supported .*hook/),
      expect.stringMatching(/^AEGIS_REDIS_URL is set but not supported .*Redis/),
    ]);
    expect(messages.join()).not.toContain('hook-secret-123');
  });

  it('a server with AEGIS_WEBHOOKS and no secret starts and logs the warning', async () => {
    const raw: string[] = [];
    const stream = { isTTY: false, write: (s: string) => raw.push(s) } as unknown as NodeJS.WriteStream;
    const server = await startServer({
      ignoreEnv: true,
      store: createMemoryStore(),
      logger: createLogger('info', stream),
      config: {
        ...configFromEnv({ AEGIS_WEBHOOKS: 'http://127.0.0.1:9/hook' }),
        port: 0,
        stateDir: mkdtempSync(join(tmpdir(), 'aegis-warn-')),
      },
    });
    await server.close();
    const lines = raw.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(/^webhook deliveries are unsigned/),
      }),
    );
  });
});
