import { tmpdir } from 'node:os';
import type {
  AgentDriver,
  AgentHandle,
  AgentResumeOptions,
  AgentSink,
  AgentStartOptions,
  ConversationRef,
} from '@aegis/core';
import { connectAgent } from './acp-session.js';
import { buildAgentEnv, checkedSessionEnv } from './agent-env.js';
import { AgentProcess } from './agent-process.js';
import { captureConversationFiles, restoreConversationFiles } from './conversation-files.js';
import { readRuntimeEnv } from './env.js';
import { type AgentSpec, createRegistry } from './registry.js';
import { type PoolOptions, WarmPool } from './warm-pool.js';

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
  /**
   * Warm pool for the default agent (per-agent: `pools`): processes started and initialized ahead
   * of time, so a session only waits for `session/new`. Sessions that pass their own `env` are
   * started fresh, since a pooled process was spawned without it.
   */
  pool?: PoolOptions | undefined;
  /** Warm pools by agent name; overrides `pool` for that agent. */
  pools?: Record<string, PoolOptions> | undefined;
  /** Working directory of pooled processes before they get a session (default the OS temp dir). */
  poolCwd?: string | undefined;
  /** Reports background failures (a pooled process that could not start). Default: console.error. */
  onError?: ((err: unknown, context: string) => void) | undefined;
}

/** The ACP driver: an {@link AgentDriver} whose `close()` stops its warm pools. */
export interface AcpDriver extends AgentDriver {
  close(): Promise<void>;
  /** The warm pool of each agent that has one. */
  readonly pools: ReadonlyMap<string, WarmPool>;
}

/**
 * Creates the ACP implementation of core's `AgentDriver`: each `start()` spawns one agent process,
 * runs `initialize` → `session/new` in the session's workDir, and translates everything the agent
 * says into core events. `resume()` does the same with `session/resume` or `session/load` of an
 * earlier agent session (after a server restart).
 *
 * @example
 * const driver = createAcpDriver({ extraEnv: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' } });
 * const aegis = createAegis({ agent: driver, store });
 */
export function createAcpDriver(options: AcpDriverOptions = {}): AcpDriver {
  const runtime = readRuntimeEnv();
  const serverEnv = options.env ?? runtime.inherited;
  const registry = createRegistry(options.agents, options.defaultAgent, runtime.AEGIS_ACP_BIN);
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const onError = options.onError ?? ((err, context) => console.error(`[aegis] ${context}:`, err));

  async function launch(
    name: string,
    spec: AgentSpec,
    cwd: string,
    env?: Record<string, string>,
    signal?: AbortSignal,
  ) {
    const proc = await AgentProcess.spawn({
      agentName: name,
      command: spec.command,
      args: spec.args ?? [],
      // A session's own env (request or template) may not redirect loading or credentials.
      env: buildAgentEnv(serverEnv, options.extraEnv, spec.env, checkedSessionEnv(env)),
      cwd,
      stderrTailBytes: options.stderrTailBytes ?? 8 * 1024,
      shutdownGraceMs: options.shutdownGraceMs ?? 2000,
    });
    return connectAgent(name, proc, startTimeoutMs, signal);
  }

  async function open(start: AgentStartOptions, sink: AgentSink, reopen?: { agentSessionId: string }) {
    const { name, spec } = registry.resolve(start.agent);
    const ownEnv = start.env !== undefined && Object.keys(start.env).length > 0;
    const pool = ownEnv ? undefined : pools.get(name);
    const agent = pool?.claim() ?? (await launch(name, spec, start.workDir, start.env, start.signal));
    try {
      return await agent.open(start, sink, startTimeoutMs, reopen);
    } finally {
      pool?.refill();
    }
  }

  const pools = new Map<string, WarmPool>();
  for (const name of registry.names) {
    const pool = options.pools?.[name] ?? (name === registry.defaultAgent ? options.pool : undefined);
    if (!pool || pool.size <= 0) continue;
    const { spec } = registry.resolve(name);
    const cwd = options.poolCwd ?? tmpdir();
    pools.set(
      name,
      new WarmPool(
        () => launch(name, spec, cwd),
        pool,
        (err) => onError(err, `warm pool of agent "${name}"`),
      ),
    );
  }

  return {
    agents: registry.names,
    pools,
    async start(start: AgentStartOptions, sink: AgentSink): Promise<AgentHandle> {
      return open(start, sink);
    },
    async resume(start: AgentResumeOptions, sink: AgentSink): Promise<AgentHandle> {
      return open(start, sink, { agentSessionId: start.agentSessionId });
    },
    async captureConversation(ref) {
      const { spec, env } = agentEnvFor(ref);
      if (!spec.conversation) return null;
      return captureConversationFiles(spec.conversation, env, ref.agentSessionId);
    },
    async restoreConversation(ref, snapshot) {
      const { spec, env } = agentEnvFor(ref);
      if (spec.conversation) await restoreConversationFiles(spec.conversation, env, snapshot);
    },
    async close() {
      await Promise.allSettled([...pools.values()].map((p) => p.close()));
    },
  };

  /** The spec and the environment an agent of `ref` runs with (where its files are). */
  function agentEnvFor(ref: ConversationRef) {
    const { spec } = registry.resolve(ref.agent);
    return {
      spec,
      env: buildAgentEnv(serverEnv, options.extraEnv, spec.env, checkedSessionEnv(ref.env)),
    };
  }
}
