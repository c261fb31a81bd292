import { describe, expect, it } from 'vitest';
import { buildAgentEnv } from './agent-env.js';

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
});
