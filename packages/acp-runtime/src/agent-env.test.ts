import { describe, expect, it } from 'vitest';
import { buildAgentEnv, sessionEnvDenial, withoutDeniedSessionEnv } from './agent-env.js';

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

describe('sessionEnvDenial', () => {
  it.each([
    'PATH',
    'NODE_OPTIONS',
    'NODE_PATH',
    'PYTHONPATH',
    'PERL5OPT',
    'RUBYOPT',
    'LD_LIBRARY_PATH',
    'DYLD_LIBRARY_PATH',
    'BASH_ENV',
    'ENV',
    'GIT_EXEC_PATH',
    'GIT_SSH_COMMAND',
    'GIT_CONFIG_COUNT',
    'HTTPS_PROXY',
    'http_proxy',
    'ANTHROPIC_BASE_URL',
    'NODE_EXTRA_CA_CERTS',
    'CLAUDE_CONFIG_DIR',
    'HOME',
    'BASH_FUNC_ls%%',
    'AEGIS_AUTH_TOKEN',
  ])('denies %s in a request env', (key) => {
    expect(sessionEnvDenial(key)).toEqual(expect.any(String));
  });

  it.each(['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'NO_PROXY', 'GIT_AUTHOR_NAME', 'FOO', 'DEBUG'])(
    'allows %s',
    (key) => {
      expect(sessionEnvDenial(key)).toBeNull();
    },
  );
});

describe('withoutDeniedSessionEnv', () => {
  it('keeps allowed variables and drops denied ones', () => {
    expect(withoutDeniedSessionEnv({ PATH: '/evil', GITHUB_TOKEN: 't', GIT_CONFIG_COUNT: '1' })).toEqual({
      GITHUB_TOKEN: 't',
    });
  });
});
