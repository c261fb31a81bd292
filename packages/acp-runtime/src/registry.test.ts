import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLAUDE_CODE, claudeCodeSpec, createRegistry, parseCommandLine } from './registry.js';

describe('agent registry', () => {
  it('resolves the pinned Claude Code adapter to a JS file run by this node', () => {
    const spec = claudeCodeSpec();
    expect(spec.command).toBe(process.execPath);
    expect(spec.args?.[0]).toMatch(/claude-agent-acp[/\\]dist[/\\]index\.js$/);
    expect(existsSync(spec.args![0]!)).toBe(true);
  });

  it('defaults to claude-code when no agents are configured', () => {
    const registry = createRegistry(undefined, undefined, undefined);
    expect(registry.names).toEqual([CLAUDE_CODE]);
    expect(registry.resolve(undefined).name).toBe(CLAUDE_CODE);
  });

  it('lets AEGIS_ACP_BIN override the default agent command, split on whitespace', () => {
    const registry = createRegistry({ mine: { command: 'a' } }, 'mine', 'node /opt/agent.js --acp');
    expect(registry.resolve(undefined).spec).toMatchObject({
      command: 'node',
      args: ['/opt/agent.js', '--acp'],
    });
    expect(registry.resolve(CLAUDE_CODE).spec.command).toBe(process.execPath);
  });

  it('rejects an unknown default agent', () => {
    expect(() => createRegistry({}, 'ghost', undefined)).toThrow(/configured agents: claude-code/);
  });

  it('parses a command line', () => {
    expect(parseCommandLine('  x  y z ')).toEqual({ command: 'x', args: ['y', 'z'] });
  });
});
