import { tmpdir } from 'node:os';
import {
  AegisError,
  type AgentDriver,
  type AgentHandle,
  type AgentResumeOptions,
  type AgentSink,
  type AgentStartOptions,
  type ConversationRef,
  type SandboxSpec,
} from '@aegis/core';
import { type TracerProvider, trace } from '@opentelemetry/api';
import { ACP_TRACER_NAME, connectAgent } from './acp-session.js';
import { buildAgentEnv, checkedSessionEnv } from './agent-env.js';
import { AgentProcess } from './agent-process.js';
import {
  type ConversationMark,
  captureConversationFiles,
  restoreConversationFiles,
} from './conversation-files.js';
import { readRuntimeEnv } from './env.js';
import { type AgentSpec, createRegistry } from './registry.js';
import { prepareSandbox, type SandboxHostOptions, sandboxHome } from './sandbox/sandbox.js';
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
  /**
   * Working directory of pooled processes until sessions have been opened (default the OS temp
   * dir); replacements then start in the folders recent sessions were opened in (see `WarmPool`).
   */
  poolCwd?: string | undefined;
  /** Reports background failures (a pooled process that could not start). Default: console.error. */
  onError?: ((err: unknown, context: string) => void) | undefined;
  /**
   * How sessions started with `sandbox` are confined (bubblewrap on Linux), where their private
   * homes and egress sockets live, and who hears of their connection attempts. Without it a
   * sandboxed start fails with `SANDBOX_UNAVAILABLE`.
   */
  sandbox?: SandboxHostOptions | undefined;
  /**
   * Where the `acp <method>` spans of requests to agents go. Default: the global OpenTelemetry
   * provider (a no-op unless an SDK was registered).
   */
  tracerProvider?: TracerProvider | undefined;
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
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(ACP_TRACER_NAME);
  const onError = options.onError ?? ((err, context) => console.error(`[aegis] ${context}:`, err));

  async function launch(
    name: string,
    spec: AgentSpec,
    cwd: string,
    env?: Record<string, string>,
    signal?: AbortSignal,
    confined?: { sessionId: string; sandbox: SandboxSpec },
  ) {
    // A session's own env (request or template) may not redirect loading or credentials.
    const agentEnv = buildAgentEnv(serverEnv, options.extraEnv, spec.env, checkedSessionEnv(env));
    let command = spec.command;
    let args = spec.args ?? [];
    let finalEnv = agentEnv;
    let release: (() => Promise<void>) | undefined;
    if (confined) {
      if (!options.sandbox) {
        throw new AegisError(
          'SANDBOX_UNAVAILABLE',
          'This session must run sandboxed, but the server has no sandbox runtime configured (sandbox.mode).',
        );
      }
      const prepared = await prepareSandbox(
        options.sandbox,
        { sessionId: confined.sessionId, command, args, env: agentEnv, workDir: cwd },
        confined.sandbox,
      );
      command = prepared.command;
      args = prepared.args;
      finalEnv = prepared.env;
      release = prepared.close;
    }
    let proc: AgentProcess;
    try {
      proc = await AgentProcess.spawn({
        agentName: name,
        command,
        args,
        env: finalEnv,
        cwd,
        stderrTailBytes: options.stderrTailBytes ?? 8 * 1024,
        shutdownGraceMs: options.shutdownGraceMs ?? 2000,
      });
    } catch (err) {
      await release?.();
      throw err;
    }
    if (release) void proc.closed.then(release);
    return connectAgent(name, proc, startTimeoutMs, signal, tracer);
  }

  async function open(start: AgentStartOptions, sink: AgentSink, reopen?: { agentSessionId: string }) {
    const { name, spec } = registry.resolve(start.agent);
    const ownEnv = start.env !== undefined && Object.keys(start.env).length > 0;
    // A pooled process was spawned unconfined and without the session's env.
    const pool = ownEnv || start.sandbox ? undefined : pools.get(name);
    const confined = start.sandbox ? { sessionId: start.sessionId, sandbox: start.sandbox } : undefined;
    const claimed = pool?.claim(start.workDir);
    const agent = claimed ?? (await launch(name, spec, start.workDir, start.env, start.signal, confined));
    try {
      return await agent.open(start, sink, startTimeoutMs, reopen);
    } finally {
      if (claimed) pool?.opened();
      else pool?.refill();
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
        (folder) => launch(name, spec, folder ?? cwd),
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
    async captureConversation(ref, since) {
      const { spec, env } = agentEnvFor(ref);
      if (!spec.conversation) return null;
      return captureConversationFiles(spec.conversation, env, ref.agentSessionId, since as ConversationMark);
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
    const env = buildAgentEnv(serverEnv, options.extraEnv, spec.env, checkedSessionEnv(ref.env));
    // A sandboxed agent's files are in its session's private HOME.
    if (ref.sandbox && ref.sessionId && options.sandbox)
      env.HOME = sandboxHome(options.sandbox.dir, ref.sessionId);
    return { spec, env };
  }
}
