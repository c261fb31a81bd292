import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AegisError } from '@aegis/core';
import { CLAUDE_CODE_CONVERSATION, type ConversationSpec } from './conversation-files.js';

/** How to start one ACP agent. */
export interface AgentSpec {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  /** Where the agent keeps its conversation files, so sessions can be resumed where they are gone. */
  conversation?: ConversationSpec | undefined;
}

export const CLAUDE_CODE = 'claude-code';

/** The pinned Claude Code ACP adapter, run with this Node binary. */
export function claudeCodeSpec(): AgentSpec {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@agentclientprotocol/claude-agent-acp/package.json');
  const pkg = require(pkgPath) as { bin?: string | Record<string, string> };
  const bin =
    typeof pkg.bin === 'string'
      ? pkg.bin
      : (pkg.bin?.['claude-agent-acp'] ?? Object.values(pkg.bin ?? {})[0]);
  if (!bin)
    throw new AegisError(
      'AGENT_START_FAILED',
      'The installed @agentclientprotocol/claude-agent-acp declares no bin.',
    );
  return {
    command: process.execPath,
    args: [join(dirname(pkgPath), bin)],
    conversation: CLAUDE_CODE_CONVERSATION,
  };
}

/** Splits an `AEGIS_ACP_BIN` command line on whitespace. */
export function parseCommandLine(line: string): AgentSpec {
  const [command, ...args] = line.trim().split(/\s+/);
  return { command: command!, args };
}

export interface Registry {
  names: string[];
  defaultAgent: string;
  resolve(name: string | undefined): { name: string; spec: AgentSpec };
}

export function createRegistry(
  agents: Record<string, AgentSpec> | undefined,
  defaultAgent: string | undefined,
  binOverride: string | undefined,
): Registry {
  const specs = new Map<string, AgentSpec | (() => AgentSpec)>();
  specs.set(CLAUDE_CODE, claudeCodeSpec);
  for (const [name, spec] of Object.entries(agents ?? {})) specs.set(name, spec);
  const fallback =
    defaultAgent ?? (agents && Object.keys(agents).length > 0 ? Object.keys(agents)[0]! : CLAUDE_CODE);
  if (!specs.has(fallback)) {
    throw new AegisError(
      'UNKNOWN_AGENT',
      `defaultAgent "${fallback}" is not configured; configured agents: ${[...specs.keys()].join(', ')}.`,
    );
  }
  const names = [fallback, ...[...specs.keys()].filter((n) => n !== fallback)];
  return {
    names,
    defaultAgent: fallback,
    resolve(requested) {
      const name = requested ?? fallback;
      const entry = specs.get(name);
      if (!entry) {
        throw new AegisError(
          'UNKNOWN_AGENT',
          `Unknown agent "${name}"; configured agents: ${names.join(', ')}.`,
          {
            details: { agent: name, configured: names },
          },
        );
      }
      const spec = typeof entry === 'function' ? entry() : entry;
      if (name === fallback && binOverride)
        return { name, spec: { ...spec, ...parseCommandLine(binOverride) } };
      return { name, spec };
    },
  };
}
