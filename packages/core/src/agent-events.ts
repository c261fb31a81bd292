import type { Restored } from './agent-slot.js';
import type { AgentInfo, AgentSink } from './driver.js';
import type { HumanWaits } from './human-waits.js';
import { REPLAY_MAX_CHARS, REPLAY_MAX_ENTRIES } from './replay.js';
import { isTerminal, type Session } from './schemas.js';
import type { SessionRecorder } from './session-recorder.js';
import type { TurnRunner } from './turn-runner.js';

/**
 * Records `agent.ready` for a process that came up (and `agent.resumed`, with a note saying how,
 * when it took the session on), then the slash commands it announced at start-up.
 */
export async function recordAgentReady(
  rec: SessionRecorder,
  session: Session,
  info: AgentInfo,
  restored: (Omit<Restored, 'handle'> & { startedAt: number }) | null,
): Promise<void> {
  const via = restored?.via;
  const note = !restored
    ? undefined
    : via === 'replay'
      ? `The agent was brought back in a new process but could not reopen its conversation (${restored.reason}); it was started fresh and given the newest ${restored.seed?.entries} transcript entries (${restored.seed?.chars} characters; at most ${REPLAY_MAX_ENTRIES} entries / ${REPLAY_MAX_CHARS} characters) with the next prompt.`
      : via === 'fresh'
        ? 'The agent was started in a new process; there was no earlier conversation to bring back.'
        : `The agent was brought back in a new process and reopened its conversation (session/${via}).`;
  await rec.recorded(
    rec.emit(
      {
        type: 'agent.ready',
        data: {
          agentName: info.agentName,
          agentVersion: info.agentVersion,
          protocolVersion: info.protocolVersion,
          pid: info.pid,
          modes: info.modes,
          currentMode: info.currentMode,
          models: info.models,
          currentModel: info.currentModel,
        },
      },
      restored ? { reason: `agent resumed (${via})`, ...(note ? { note } : {}) } : undefined,
    ),
  );
  if (restored && via) {
    rec.emitSafe({
      type: 'agent.resumed',
      data: { via, durationMs: Date.now() - restored.startedAt, reason: restored.reason },
    });
  }
  if (info.commands.length > 0 && session.availableCommands.length === 0) {
    rec.emitSafe({ type: 'commands.updated', data: { commands: info.commands } });
  }
}

/** The agent's exit, as the error of a failed start reports it in its details (if it does). */
export function exitFromDetails(details: Record<string, unknown> | undefined) {
  if (!details) return null;
  const { exitCode, signal, stderrTail } = details;
  if (exitCode === undefined && stderrTail === undefined) return null;
  return {
    exitCode: typeof exitCode === 'number' ? exitCode : null,
    signal: typeof signal === 'string' ? signal : null,
    stderrTail: typeof stderrTail === 'string' ? stderrTail : '',
  };
}

/**
 * Where an agent process reports to: its updates are recorded (and count as activity for the
 * turn), its permission requests and questions wait on people, and its exit ends the session
 * honestly (`completed` when expected, else `crashed` with the exit code and stderr tail).
 */
export function agentSink(
  session: Session,
  rec: SessionRecorder,
  turns: TurnRunner,
  waits: HumanWaits,
): AgentSink {
  return {
    update: (body) => {
      turns.touch();
      rec.emitSafe(body);
    },
    requestPermission: (request, signal) => waits.requestPermission(request, signal),
    askQuestion: (request, signal) => waits.askQuestion(request, signal),
    exited: (exit) => {
      if (isTerminal(session.status)) return;
      waits.cancelAll('agent exited');
      const status = exit.expected ? 'completed' : 'crashed';
      const code = exit.exitCode ?? exit.signal ?? 'unknown';
      const reason = exit.expected ? 'agent exited' : `agent process exited unexpectedly (${code})`;
      if (!exit.expected) session.problem = { code: 'AGENT_CRASHED', message: reason };
      rec.emitSafe({
        type: 'session.ended',
        data: {
          status,
          reason,
          exit: { exitCode: exit.exitCode, signal: exit.signal, stderrTail: exit.stderrTail },
        },
      });
    },
  };
}
