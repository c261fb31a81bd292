import { describe, expect, it } from 'vitest';
import {
  assertSessionEnv,
  isForbiddenAgentEnv,
  sessionEnvDenial,
  sessionEnvProblems,
} from './agent-env-rules.js';
import { TemplateInput } from './orchestration/schemas.js';

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
    'Node_Options',
    'ANTHROPIC_BASE_URL',
    'NODE_EXTRA_CA_CERTS',
    'CLAUDE_CONFIG_DIR',
    'HOME',
    'BASH_FUNC_ls%%',
    'AEGIS_AUTH_TOKEN',
  ])('denies %s in a session env', (key) => {
    expect(sessionEnvDenial(key)).toEqual(expect.any(String));
  });

  // Node builds the child environment as `name=value`, so `NODE_OPTIONS=--import` with value
  // `data:…` becomes NODE_OPTIONS=--import=data:… in the agent: the name must be checked as a name.
  it.each([
    'NODE_OPTIONS=--import',
    'HTTP_PROXY=http://127.0.0.1:9/x',
    'FOO=BAR',
    '',
    '1ABC',
    'A-B',
    'A B',
    'A\0B',
    'PATH\n',
  ])('refuses the malformed name %j, saying what a name may hold', (key) => {
    expect(sessionEnvDenial(key)).toMatch(/^is not a valid environment variable name; use letters, digits/);
    expect(isForbiddenAgentEnv(key)).toBe(true);
  });

  it.each(['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'NO_PROXY', 'GIT_AUTHOR_NAME', 'FOO', 'DEBUG', '_X1'])(
    'allows %s',
    (key) => {
      expect(sessionEnvDenial(key)).toBeNull();
    },
  );
});

describe('sessionEnvProblems', () => {
  it('names a NUL byte in a value without repeating the value', () => {
    const problems = sessionEnvProblems({ OK: 'fine', TOKEN: 'hunter2\0x' });
    expect(problems).toEqual([
      {
        name: 'TOKEN',
        message:
          'env variable TOKEN has a value with a NUL byte, which an environment variable cannot hold; remove it',
      },
    ]);
  });

  it('quotes a malformed name in the message', () => {
    expect(sessionEnvProblems({ 'NODE_OPTIONS=--import': 'x' })[0]?.message).toMatch(
      /^env variable "NODE_OPTIONS=--import" is not a valid environment variable name/,
    );
  });

  it('assertSessionEnv throws VALIDATION_FAILED naming every refused variable', () => {
    expect(() => assertSessionEnv({ PATH: '/x', 'A=B': 'y', FINE: 'z' }, 'Template t')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^Template t: env variable PATH .*; env variable "A=B" is not/),
        details: { variables: ['PATH', '"A=B"'] },
      }),
    );
  });
});

describe('TemplateInput env', () => {
  it.each([
    { 'NODE_OPTIONS=--import': 'data:text/javascript,1' },
    { http_proxy: 'http://127.0.0.1:9' },
    { FOO: 'a\0b' },
  ])('refuses %j with an issue naming the variable', (env) => {
    const parsed = TemplateInput.safeParse({ name: 't', env });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['env', Object.keys(env)[0]]);
  });
});
