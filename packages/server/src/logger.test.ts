import { describe, expect, it } from 'vitest';
import { createLogger, redact, redactArgs } from './logger.js';

describe('redact', () => {
  it('redacts secret-looking keys at any depth, in arrays too, and every env value', () => {
    expect(
      redact({
        token: 't',
        nested: { deeper: { apiKey: 'k', ok: 1 }, list: [{ password: 'p' }, 'plain'] },
        env: { GITHUB_TOKEN: 'g', PLAIN: 'v' },
        headers: { Authorization: 'Bearer x' },
      }),
    ).toEqual({
      token: '[redacted]',
      nested: { deeper: { apiKey: '[redacted]', ok: 1 }, list: [{ password: '[redacted]' }, 'plain'] },
      env: { GITHUB_TOKEN: '[redacted]', PLAIN: '[redacted]' },
      headers: { Authorization: '[redacted]' },
    });
  });

  it('writes no nested secret to the stream', () => {
    const lines: string[] = [];
    const log = createLogger('debug', {
      isTTY: false,
      write: (s: string) => lines.push(s),
    } as unknown as NodeJS.WriteStream);
    log.info('x', { request: { body: { webhook: { secret: 'canary-nested-secret' } } } });
    expect(lines.join('')).not.toContain('canary-nested-secret');
  });
});

describe('redactArgs', () => {
  it.each([
    [
      ['--model', 'opus'],
      ['--model', 'opus'],
    ],
    [
      ['--api-key', 'abc'],
      ['--api-key', '[redacted]'],
    ],
    [['--token=abc'], ['--token=[redacted]']],
    [
      ['--header', 'sk-ant-123'],
      ['--header', '[redacted]'],
    ],
    [['https://u:p@host/x'], ['[redacted]']],
    [['--url=https://u:p@host'], ['--url=[redacted]']],
    [
      ['/usr/lib/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js'],
      ['/usr/lib/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js'],
    ],
    [['0123456789abcdef0123456789abcdef01'], ['[redacted]']],
  ])('%j → %j', (args, expected) => {
    expect(redactArgs(args)).toEqual(expected);
  });
});
