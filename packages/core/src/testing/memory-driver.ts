import type {
  AgentDriver,
  AgentHandle,
  AgentResumeOptions,
  AgentSink,
  PermissionDecision,
  QuestionAnswer,
} from '../driver.js';
import { AegisError } from '../errors.js';
import type { AgentEventBody, StopReason } from '../events.js';

/** One step of an in-memory agent's turn. */
export type MemoryStep =
  | { update: AgentEventBody }
  | { permission: { title: string }; onDecision?: (d: PermissionDecision) => void }
  | { question: { message: string }; onAnswer?: (a: QuestionAnswer) => void }
  /** Steps run at once, like a model's parallel tool calls (their permission requests and questions overlap). */
  | { together: MemoryStep[] }
  | { waitForCancel: true }
  | { fail: AegisError }
  | { crash: number };

/**
 * An in-memory {@link AgentDriver} for core tests: each prompt runs the steps `script(text)` returns.
 * It exists to test the engine without processes; acp-runtime's tests use a real child process.
 */
export function createMemoryDriver(
  script: (text: string) => MemoryStep[],
  modes = ['default', 'acceptEdits'],
  /**
   * Agent sessions that outlive the driver (what an agent keeps on disk): with it the driver
   * advertises `restore.load`, records each session's prompts, and `resume` reopens known ones.
   */
  saved?: Map<string, string[]>,
) {
  const sinks: AgentSink[] = [];
  let started = 0;
  /** What the driver has done, for tests: processes up now, starts, resumes, every prompt text received. */
  const stats = { open: 0, starts: 0, resumes: 0, prompts: [] as string[] };
  const driver: AgentDriver = {
    agents: ['memory'],
    async start(opts, sink) {
      stats.starts += 1;
      return open(sink, `mem-${opts.sessionId}-${++started}`);
    },
    ...(saved
      ? {
          async resume(opts: AgentResumeOptions, sink: AgentSink) {
            if (!saved.has(opts.agentSessionId)) {
              throw new AegisError('AGENT_START_FAILED', `Session ${opts.agentSessionId} not found`);
            }
            stats.resumes += 1;
            return open(sink, opts.agentSessionId, true);
          },
        }
      : {}),
  };
  function open(sink: AgentSink, agentSessionId: string, resumed = false): AgentHandle {
    sinks.push(sink);
    stats.open += 1;
    if (saved && !saved.has(agentSessionId)) saved.set(agentSessionId, []);
    let cancel: (() => void) | undefined;
    let closed = false;
    const handle: AgentHandle = {
      info: {
        agentName: 'memory',
        agentVersion: '1',
        protocolVersion: 1,
        pid: null,
        modes: modes.map((id) => ({ id, name: id })),
        currentMode: 'default',
        models: [],
        currentModel: null,
        commands: [{ name: 'review', description: 'Review code' }],
        agentSessionId,
        restore: { load: saved !== undefined, resume: false },
        ...(resumed ? { resumedVia: 'session/load' as const } : {}),
      },
      async prompt(text) {
        stats.prompts.push(text);
        saved?.get(agentSessionId)?.push(text);
        const ac = new AbortController();
        cancel = () => ac.abort();
        let stopReason: StopReason = 'end_turn';
        const run = async (step: MemoryStep): Promise<StopReason | undefined> => {
          if ('update' in step) sink.update(step.update);
          else if ('permission' in step) {
            const d = await sink.requestPermission(
              {
                toolCallId: 't1',
                title: step.permission.title,
                kind: 'edit',
                content: [],
                options: [
                  { optionId: 'a1', name: 'Allow', kind: 'allow_once' },
                  { optionId: 'a2', name: 'Always', kind: 'allow_always' },
                  { optionId: 'r1', name: 'Reject', kind: 'reject_once' },
                ],
              },
              ac.signal,
            );
            step.onDecision?.(d);
            if (d.outcome === 'cancelled') return 'cancelled';
          } else if ('question' in step) {
            const a = await sink.askQuestion(
              { toolCallId: null, message: step.question.message, questions: [] },
              ac.signal,
            );
            step.onAnswer?.(a);
            if (a.outcome === 'cancelled') return 'cancelled';
          } else if ('together' in step) {
            const stops = await Promise.all(step.together.map(run));
            return stops.find((r) => r !== undefined);
          } else if ('waitForCancel' in step) {
            await new Promise<void>((r) => ac.signal.addEventListener('abort', () => r(), { once: true }));
            return 'cancelled';
          } else if ('fail' in step) throw step.fail;
          else if ('crash' in step) {
            closed = true;
            stats.open -= 1;
            sink.exited({ exitCode: step.crash, signal: null, stderrTail: 'boom', expected: false });
            throw new AegisError('AGENT_CRASHED', 'agent crashed');
          }
          return undefined;
        };
        for (const step of script(text)) {
          if (ac.signal.aborted) return { stopReason: 'cancelled' };
          const stop = await run(step);
          if ('waitForCancel' in step && stop === 'cancelled') return { stopReason: 'cancelled' };
          if (stop === 'cancelled') stopReason = 'cancelled';
          await new Promise((r) => setImmediate(r));
        }
        return { stopReason };
      },
      async cancel() {
        cancel?.();
      },
      async setMode(mode) {
        if (!modes.includes(mode)) throw new AegisError('UNSUPPORTED_MODE', `mode ${mode} not offered`);
      },
      async setModel() {},
      async close() {
        if (closed) return;
        closed = true;
        stats.open -= 1;
        sink.exited({ exitCode: 0, signal: null, stderrTail: '', expected: true });
      },
    };
    return handle;
  }
  return { driver, sinks, stats };
}
