import {
  AegisError,
  type AgentEventBody,
  type AgentHandle,
  type AgentSink,
  type AgentStartOptions,
  type PermissionDecision,
  type QuestionAnswer,
} from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { loadAcpSdk } from './acp-sdk.js';
import type { AgentProcess, ProcessExit } from './agent-process.js';
import { agentStream } from './agent-stream.js';
import { readTextFileIn, writeTextFileIn } from './fs-access.js';
import { createSessionHandle, type SessionLink } from './session-handle.js';
import {
  AcpTranslator,
  fastUpdate,
  initializeParams,
  readInitialize,
  toAegisError,
  toElicitationResponse,
  toPermissionRequest,
  toPermissionResponse,
  toQuestionRequest,
} from './translate.js';
import { ACP_RUNTIME_VERSION } from './version.js';

/** The instrumentation scope of the ACP request spans. */
export const ACP_TRACER_NAME = '@aegis/acp-runtime';

const isRpcError = (err: unknown): boolean => typeof (err as { code?: unknown })?.code === 'number';

function exitError(agentName: string, exit: ProcessExit): AegisError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  if (exit.expected) {
    return new AegisError('SHUTTING_DOWN', `Agent "${agentName}" was closed while a request was in flight.`, {
      details: { exitCode: exit.exitCode, signal: exit.signal },
    });
  }
  const tail = exit.stderrTail.trim();
  return new AegisError(
    'AGENT_CRASHED',
    `Agent "${agentName}" ${how}${tail ? `; its last stderr output: ${tail.slice(-500)}` : ' without writing to stderr'}`,
    { details: { exitCode: exit.exitCode, signal: exit.signal, stderrTail: exit.stderrTail } },
  );
}

/** Calls a sink method; an exception there must not tear down the agent connection. */
function deliver(fn: () => void): void {
  try {
    fn();
  } catch {
    // The sink owns its errors; the protocol stream stays healthy.
  }
}

/**
 * An agent process with ACP connected and `initialize` done, but no session yet: what the warm pool
 * holds. `open()` runs `session/new` for one Aegis session and may be called once.
 */
export interface ConnectedAgent {
  readonly agentName: string;
  readonly proc: AgentProcess;
  /**
   * Opens the session: `session/new`, or with `reopen` the agent's earlier session through
   * `session/resume` (preferred: no replay) or `session/load` (its replayed history is dropped:
   * Aegis has it already).
   */
  open(
    options: AgentStartOptions,
    sink: AgentSink,
    startTimeoutMs: number,
    reopen?: { agentSessionId: string },
  ): Promise<AgentHandle>;
}

/** Updates that describe the agent's state, not its history: kept while a `session/load` replays. */
const STATE_UPDATES = new Set(['available_commands_update', 'current_mode_update', 'config_option_update']);

/**
 * Connects ACP over the process's stdio and runs `initialize`. Until `open()` binds a sink, agent
 * updates are dropped and permission requests answered `cancelled` (an agent sends none before
 * `session/new`). On failure the process is killed and awaited before the promise rejects.
 */
export async function connectAgent(
  agentName: string,
  proc: AgentProcess,
  startTimeoutMs: number,
  signal?: AbortSignal,
  tracer: Tracer = trace.getTracer(ACP_TRACER_NAME),
): Promise<ConnectedAgent> {
  const { client, methods, PROTOCOL_VERSION } = await loadAcpSdk().catch(async (err: unknown) => {
    proc.kill();
    await proc.closed;
    throw new AegisError(
      'AGENT_START_FAILED',
      `The ACP SDK (@agentclientprotocol/sdk) could not be loaded, so agent "${agentName}" cannot be driven: ${err instanceof Error ? err.message : String(err)}. Reinstall Aegis.`,
    );
  });
  const translator = new AcpTranslator();
  let fatal: AegisError | null = null;
  let rejectFatal: (err: AegisError) => void = () => {};
  const fatalPromise = new Promise<never>((_, reject) => (rejectFatal = reject));
  fatalPromise.catch(() => {});
  const fail = (err: AegisError) => {
    if (fatal) return;
    fatal = err;
    rejectFatal(err);
  };
  let started = false;
  let sink: AgentSink | null = null;
  let workDir = '';
  let turn = new AbortController();
  const emit = (bodies: AgentEventBody[]) => {
    const to = sink;
    if (!to) return;
    for (const body of bodies) deliver(() => to.update(body));
  };

  let replaying = false;
  const onUpdate = (update: acp.SessionUpdate) => {
    if (replaying && !STATE_UPDATES.has(update.sessionUpdate)) return;
    emit(translator.translate(update));
  };
  const stream = agentStream(proc.child.stdout, proc.child.stdin, {
    onGarbage: (line) => {
      fail(
        new AegisError(
          'AGENT_PROTOCOL_ERROR',
          `Agent "${agentName}" wrote a line that is not ACP JSON-RPC to stdout: ${line}`,
          { details: { line } },
        ),
      );
      proc.kill();
    },
    onTooLarge: (bytes) => {
      fail(
        new AegisError(
          'AGENT_PROTOCOL_ERROR',
          `Agent "${agentName}" wrote a message of over ${bytes} bytes, past the 32 MiB limit.`,
        ),
      );
      proc.kill();
    },
    intercept: (message) => {
      const update = fastUpdate(message);
      if (!update) return false;
      onUpdate(update);
      return true;
    },
  });
  const connection = client({ name: 'aegis' })
    .onNotification(methods.client.session.update, ({ params }) => onUpdate(params.update))
    .onRequest(methods.client.session.requestPermission, async ({ params, signal }) => {
      const to = sink;
      const aborted = AbortSignal.any([signal, turn.signal]);
      if (!to || aborted.aborted) return toPermissionResponse({ outcome: 'cancelled' });
      const cancelled = new Promise<PermissionDecision>((resolve) =>
        aborted.addEventListener('abort', () => resolve({ outcome: 'cancelled' }), { once: true }),
      );
      const decision = await Promise.race([
        to
          .requestPermission(toPermissionRequest(params), aborted)
          .catch(() => ({ outcome: 'cancelled' }) as const),
        cancelled,
      ]);
      return toPermissionResponse(decision);
    })
    .onRequest(methods.client.elicitation.create, async ({ params, signal }) => {
      const to = sink;
      const question = toQuestionRequest(params);
      if (!question) return { action: 'decline' };
      const aborted = AbortSignal.any([signal, turn.signal]);
      if (!to || aborted.aborted) return { action: 'cancel' };
      const cancelled = new Promise<QuestionAnswer>((resolve) =>
        aborted.addEventListener('abort', () => resolve({ outcome: 'cancelled' }), { once: true }),
      );
      const answer = await Promise.race([
        to.askQuestion(question, aborted).catch(() => ({ outcome: 'cancelled' }) as const),
        cancelled,
      ]);
      return toElicitationResponse(question, answer);
    })
    .onRequest(methods.client.fs.readTextFile, async ({ params }) => ({
      content: await readTextFileIn(workDir, params.path, params.line, params.limit),
    }))
    .onRequest(methods.client.fs.writeTextFile, async ({ params }) => {
      await writeTextFileIn(workDir, params.path, params.content);
      return {};
    })
    .connect(stream);

  void proc.closed.then((exit) => {
    fail(exitError(agentName, exit));
    connection.close();
    const to = sink;
    if (started && to) deliver(() => to.exited(exit));
  });

  /** Runs one request (in an `acp <method>` client span), mapping agent errors and failing fast when the process dies. */
  const call = <T>(method: string, request: Promise<T>): Promise<T> =>
    tracer.startActiveSpan(
      `acp ${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'rpc.system': 'jsonrpc', 'rpc.method': method, 'aegis.agent': agentName },
      },
      async (span) => {
        try {
          return await awaitCall(method, request);
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  const awaitCall = async <T>(method: string, request: Promise<T>): Promise<T> => {
    try {
      return await Promise.race([request, fatalPromise]);
    } catch (err) {
      if (!fatal && !isRpcError(err)) {
        // The connection closed under us: the exit (observed a moment later) explains why.
        await Promise.race([proc.closed, new Promise((r) => setTimeout(r, 1000))]);
      }
      if (fatal && (err === fatal || !isRpcError(err))) throw fatal;
      throw toAegisError(err, method);
    }
  };

  /** Runs a start-up step bounded by `timeoutMs` and `abort`; on failure kills and awaits the process. */
  const startStep = async <T>(timeoutMs: number, abort: AbortSignal | undefined, step: () => Promise<T>) => {
    const abortStart = () => {
      fail(new AegisError('AGENT_START_FAILED', `Starting agent "${agentName}" was aborted.`));
      proc.kill();
    };
    const startTimer = setTimeout(() => {
      fail(
        new AegisError('AGENT_TIMEOUT', `Agent "${agentName}" did not become ready within ${timeoutMs} ms.`, {
          details: { stderrTail: proc.stderrTail() },
        }),
      );
      proc.kill();
    }, timeoutMs);
    abort?.addEventListener('abort', abortStart, { once: true });
    try {
      if (abort?.aborted) abortStart();
      if (fatal) throw fatal;
      return await step();
    } catch (err) {
      proc.kill();
      await proc.closed;
      throw err;
    } finally {
      clearTimeout(startTimer);
      abort?.removeEventListener('abort', abortStart);
    }
  };

  const init = await startStep(startTimeoutMs, signal, async () =>
    readInitialize(
      await call(
        'initialize',
        connection.agent.request(
          methods.agent.initialize,
          initializeParams(ACP_RUNTIME_VERSION, PROTOCOL_VERSION),
        ),
      ),
    ),
  );

  const link: SessionLink = {
    agentName,
    proc,
    init,
    translator,
    connection,
    methods,
    call,
    emit,
    get fatal() {
      return fatal;
    },
    get turn() {
      return turn;
    },
    set turn(next) {
      turn = next;
    },
  };

  let opened = false;
  return {
    agentName,
    proc,
    open: async (options, boundSink, timeoutMs, reopen) => {
      if (opened) throw new Error(`agent process ${proc.pid} already serves a session; it is never reused`);
      opened = true;
      sink = boundSink;
      workDir = options.workDir;
      if (reopen) {
        const via = await startStep(timeoutMs, options.signal, () =>
          reopenSession(reopen.agentSessionId, options),
        );
        return sessionHandle(boundSink, reopen.agentSessionId, via);
      }
      const sessionId = await startStep(timeoutMs, options.signal, async () => {
        const created = await call(
          'session/new',
          connection.agent.request(methods.agent.session.new, { cwd: options.workDir, mcpServers: [] }),
        );
        translator.applyNewSession(created);
        return created.sessionId;
      });
      return sessionHandle(boundSink, sessionId);
    },
  };

  async function reopenSession(
    sessionId: string,
    options: AgentStartOptions,
  ): Promise<'session/resume' | 'session/load'> {
    const params = { sessionId, cwd: options.workDir, mcpServers: [] };
    const { load, resume } = init.restore;
    if (!load && !resume) {
      throw new AegisError(
        'AGENT_START_FAILED',
        `Agent "${agentName}" cannot reopen sessions: it advertises neither session/load nor session/resume.`,
      );
    }
    let resumeError: unknown;
    if (resume) {
      try {
        translator.applyNewSession(
          await call('session/resume', connection.agent.request(methods.agent.session.resume, params)),
        );
        return 'session/resume';
      } catch (err) {
        if (!load || fatal) throw err;
        resumeError = err;
      }
    }
    replaying = true;
    try {
      translator.applyNewSession(
        await call('session/load', connection.agent.request(methods.agent.session.load, params)),
      );
    } catch (err) {
      if (resumeError) {
        throw new AegisError(
          AegisError.fromUnknown(err).code,
          `${(err as Error).message} (session/resume failed before: ${(resumeError as Error).message})`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      replaying = false;
      translator.endRun();
    }
    return 'session/load';
  }

  function sessionHandle(
    sink: AgentSink,
    sessionId: string,
    resumedVia?: 'session/resume' | 'session/load',
  ): AgentHandle {
    started = true;
    if (proc.exited) deliver(() => sink.exited(proc.exited!));
    return createSessionHandle(link, sessionId, resumedVia);
  }
}
