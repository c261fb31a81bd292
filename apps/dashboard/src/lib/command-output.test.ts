import { describe, expect, it } from 'vitest';
import { commandView, isCommandTool, MAX_OUTPUT_CHARS } from './command-output.js';

describe('command output', () => {
  it('treats execute tools and tools with terminal content as commands', () => {
    expect(isCommandTool({ toolKind: 'execute', content: [] })).toBe(true);
    expect(isCommandTool({ toolKind: 'other', content: [{ type: 'terminal', terminalId: 't1' }] })).toBe(
      true,
    );
    expect(isCommandTool({ toolKind: 'read', content: [{ type: 'text', text: 'x' }] })).toBe(false);
  });

  it('shows the command and the raw output string', () => {
    expect(commandView({ input: { command: 'ls -la' }, output: 'total 0\nfile.txt', content: [] })).toEqual({
      command: 'ls -la',
      output: 'total 0\nfile.txt',
      terminalIds: [],
    });
  });

  it('joins stdout and stderr of a structured raw output', () => {
    const v = commandView({
      input: { command: ['npm', 'test'] },
      output: { stdout: 'ok 1', stderr: 'warn: slow', exitCode: 0 },
      content: [],
    });
    expect(v).toEqual({ command: 'npm test', output: 'ok 1\nwarn: slow', terminalIds: [] });
  });

  it('falls back to the text content, and lists terminals', () => {
    const v = commandView({
      input: {},
      content: [
        { type: 'terminal', terminalId: 'term-7' },
        { type: 'text', text: 'line one' },
      ],
    });
    expect(v).toEqual({ command: null, output: 'line one', terminalIds: ['term-7'] });
  });

  it('has no output yet while nothing came back', () => {
    expect(commandView({ input: { command: 'sleep 5' }, content: [] }).output).toBeNull();
  });

  it('keeps the tail of a very long output', () => {
    const long = `${'a'.repeat(MAX_OUTPUT_CHARS)}THE END`;
    const out = commandView({ output: long, content: [] }).output!;
    expect(out.endsWith('THE END')).toBe(true);
    expect(out).toMatch(/^… \(7 earlier characters not shown\)\n/);
  });
});
