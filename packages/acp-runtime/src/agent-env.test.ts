import { describe, expect, it } from 'vitest';
import { buildAgentEnv, checkedSessionEnv } from './agent-env.js';

describe('buildAgentEnv', () => {
  const server = {
    PATH: '/bin',
    HOME: '/home/u',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    ANTHROPIC_API_KEY: 'k',
    CLAUDE_CODE_USE_BEDROCK: '1',
    CLAUDE_CONFIG_DIR: '/c',
    DISABLE_TELEMETRY: '1',
    IS_SANDBOX: '1',
    AEGIS_API_KEY: 'secret',
    NODE_OPTIONS: '--inspect',
    LD_PRELOAD: 'x.so',
    DATABASE_URL: 'postgres://',
    GITHUB_TOKEN: 'ghp',
  };

  it('passes the allow-list of server variables and nothing else', () => {
    expect(buildAgentEnv(server)).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      ANTHROPIC_API_KEY: 'k',
      CLAUDE_CODE_USE_BEDROCK: '1',
      CLAUDE_CONFIG_DIR: '/c',
      DISABLE_TELEMETRY: '1',
      IS_SANDBOX: '1',
    });
  });

  it('layers extras over the server env, later layers winning', () => {
    const env = buildAgentEnv(server, { HOME: '/tmp/h', FOO: '1' }, { FOO: '2' });
    expect(env).toMatchObject({ HOME: '/tmp/h', FOO: '2' });
  });

  it.each([
    'AEGIS_TOKEN',
    'aegis_auth_token',
    'NODE_OPTIONS',
    'LD_PRELOAD',
    'LD_AUDIT',
    'DYLD_INSERT_LIBRARIES',
    'BASH_ENV',
  ])('never passes %s, even from a layer', (key) => {
    expect(buildAgentEnv({}, { [key]: 'x' }, { [key]: 'y' })).toEqual({});
  });

  it.each([
    'NODE_OPTIONS=--import',
    'HTTP_PROXY=http://127.0.0.1:9/x',
    'node_options',
    'Ld_Preload',
    'A B',
    '1X',
    'X\0',
  ])('never passes the name %j from any layer (malformed or denied in any case)', (key) => {
    expect(buildAgentEnv({ [key]: 'x' }, { [key]: 'x' }, { [key]: 'y' })).toEqual({});
  });

  it('never passes a value with a NUL byte', () => {
    expect(buildAgentEnv({ PATH: 'a\0b' }, { FOO: 'x\0y', BAR: 'ok' })).toEqual({ BAR: 'ok' });
  });
});

describe('checkedSessionEnv', () => {
  it('returns an allowed env as it is', () => {
    expect(checkedSessionEnv({ GITHUB_TOKEN: 't' })).toEqual({ GITHUB_TOKEN: 't' });
    expect(checkedSessionEnv(undefined)).toBeUndefined();
  });

  it.each([
    ['NODE_OPTIONS=--import', 'data:text/javascript,1'],
    ['HTTP_PROXY=http://127.0.0.1:9/x', 'y'],
    ['http_proxy', 'http://127.0.0.1:9'],
    ['PATH', '/evil'],
  ])('refuses %j with VALIDATION_FAILED naming it', (key, value) => {
    expect(() => checkedSessionEnv({ [key]: value })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining(key) }),
    );
  });

  it('refuses a NUL byte in a value without repeating the value', () => {
    let message = '';
    try {
      checkedSessionEnv({ FOO: 'secret-value\0tail' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('env variable FOO has a value with a NUL byte');
    expect(message).not.toContain('secret-value');
  });
});

describe('IS_SANDBOX reaching the agent', () => {
  it.each([
    ['1', '1'],
    ['yes', '1'],
    ['true', '1'],
    [' ON ', '1'],
  ])('a server value %j is passed as IS_SANDBOX=%s', (value, passed) => {
    expect(buildAgentEnv({ IS_SANDBOX: value }).IS_SANDBOX).toBe(passed);
  });

  it.each(['0', 'false', 'no', '', 'sandbox'])('a server value %j is not passed at all', (value) => {
    expect(buildAgentEnv({ IS_SANDBOX: value })).not.toHaveProperty('IS_SANDBOX');
  });

  it('normalises a value set by a later layer (agentEnv, a session env) too', () => {
    expect(buildAgentEnv({ IS_SANDBOX: '1' }, { IS_SANDBOX: 'no' })).not.toHaveProperty('IS_SANDBOX');
    expect(buildAgentEnv({}, {}, { IS_SANDBOX: 'yes' }).IS_SANDBOX).toBe('1');
  });
});
