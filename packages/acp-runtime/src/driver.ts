import type { AgentDriver, AgentHandle, AgentSink, AgentStartOptions } from '@aegis/core';
import { openAcpSession } from './acp-session.js';
import { buildAgentEnv } from './agent-env.js';
import { AgentProcess } from './agent-process.js';
import { readRuntimeEnv } from './env.js';
import { type AgentSpec, createRegistry } from './registry.js';

export interface AcpDriverOptions {
  /** Extra agents by name; the built-in `claude-code` is always available. */
  agents?: Record<string, AgentSpec>;
  /** Agent used when a session names none; default: the first configured agent, else `claude-code`. */
  defaultAgent?: string;
  /** Variables added to every agent's environment (e.g. `ANTHROPIC_BASE_URL`). */
  extraEnv?: Record<string, string>;
  /** Bytes of agent stderr kept for diagnostics (default 8 KiB). */
  stderrTailBytes?: number;
  /** Grace after ending stdin and again after SIGTERM (default 2000 ms). */
  shutdownGraceMs?: number;
  /** Bound on `initialize` + `session/new` (default 120 s; cold starts on a busy host take many seconds). */
  startTimeoutMs?: number;
  /** The server environment to filter for agents; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Creates the ACP implementation of core's `AgentDriver`: each `start()` spawns one agent process,
 * runs `initialize` → `session/new` in the session's workDir, and translates everything the agent
 * says into core events.
 *
 * @example
 * const driver = createAcpDriver({ extraEnv: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' } });
 * const aegis = createAegis({ agent: driver, store });
 */
export function createAcpDriver(options: AcpDriverOptions = {}): AgentDriver {
  const runtime = readRuntimeEnv();
  const serverEnv = options.env ?? runtime.inherited;
  const registry = createRegistry(options.agents, options.defaultAgent, runtime.AEGIS_ACP_BIN);
  return {
    agents: registry.names,
    async start(start: AgentStartOptions, sink: AgentSink): Promise<AgentHandle> {
      const { name, spec } = registry.resolve(start.agent);
      const proc = await AgentProcess.spawn({
        agentName: name,
        command: spec.command,
        args: spec.args ?? [],
        env: buildAgentEnv(serverEnv, options.extraEnv, spec.env, start.env),
        cwd: start.workDir,
        stderrTailBytes: options.stderrTailBytes ?? 8 * 1024,
        shutdownGraceMs: options.shutdownGraceMs ?? 2000,
      });
      return openAcpSession({
        agentName: name,
        proc,
        options: start,
        sink,
        startTimeoutMs: options.startTimeoutMs ?? 120_000,
      });
    },
  };
}
