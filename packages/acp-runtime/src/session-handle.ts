import { AegisError, type AgentEventBody, type AgentHandle, type AgentInfo } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import type { AgentProcess } from './agent-process.js';
import { type AcpTranslator, type AgentInit, promptParams, toStopReason, toTurnTokens } from './translate.js';

/** What a session handle shares with the connection that opened its session (see `connectAgent`). */
export interface SessionLink {
  readonly agentName: string;
  readonly proc: AgentProcess;
  readonly init: AgentInit;
  readonly translator: AcpTranslator;
  readonly connection: acp.ClientConnection;
  /** The SDK's method table (the SDK loads with the first connection: ./acp-sdk.ts). */
  readonly methods: typeof acp.methods;
  /** Runs one request, mapping agent errors and failing fast when the process dies. */
  call<T>(method: string, request: Promise<T>): Promise<T>;
  /** Hands event bodies to the bound sink. */
  emit(bodies: AgentEventBody[]): void;
  /** The error that ended the connection, once there is one. */
  readonly fatal: AegisError | null;
  /** The running turn: aborting it cancels the permission and question waits it started. */
  turn: AbortController;
}

/** The `AgentHandle` of an opened ACP session: prompt, cancel, mode, model and close. */
export function createSessionHandle(
  link: SessionLink,
  sessionId: string,
  resumedVia?: 'session/resume' | 'session/load',
): AgentHandle & AsyncDisposable {
  const offered = (list: { id: string }[]) => list.map((m) => m.id).join(', ') || 'none';
  const handle: AgentHandle & AsyncDisposable = {
    get info(): AgentInfo {
      return {
        agentName: link.agentName,
        agentVersion: link.init.agentVersion,
        protocolVersion: link.init.protocolVersion,
        pid: link.proc.pid,
        modes: link.translator.modes,
        currentMode: link.translator.currentMode,
        models: link.translator.models,
        currentModel: link.translator.currentModel,
        commands: link.translator.commands,
        agentSessionId: sessionId,
        restore: link.init.restore,
        ...(resumedVia ? { resumedVia } : {}),
      };
    },
    async prompt(text) {
      link.turn = new AbortController();
      link.translator.endRun();
      const res = await link.call(
        'session/prompt',
        link.connection.agent.request(link.methods.agent.session.prompt, promptParams(sessionId, text)),
      );
      link.translator.endRun();
      const usage = toTurnTokens(res);
      return usage ? { stopReason: toStopReason(res), usage } : { stopReason: toStopReason(res) };
    },
    async cancel() {
      link.turn.abort();
      if (link.fatal) return;
      await link.connection.agent.notify(link.methods.agent.session.cancel, { sessionId }).catch(() => {});
    },
    async setMode(modeId) {
      if (!link.translator.modes.some((m) => m.id === modeId)) {
        throw new AegisError(
          'UNSUPPORTED_MODE',
          `Agent "${link.agentName}" does not offer mode "${modeId}"; offered modes: ${offered(link.translator.modes)}.`,
          { details: { mode: modeId, offered: link.translator.modes.map((m) => m.id) } },
        );
      }
      await link.call(
        'session/set_mode',
        link.connection.agent.request(link.methods.agent.session.setMode, { sessionId, modeId }),
      );
      link.emit(link.translator.noteMode(modeId));
    },
    async setModel(modelId) {
      const configId = link.translator.modelConfigId;
      if (!configId || !link.translator.models.some((m) => m.id === modelId)) {
        throw new AegisError(
          'UNSUPPORTED_MODEL',
          `Agent "${link.agentName}" does not offer model "${modelId}"; offered models: ${offered(link.translator.models)}.`,
          { details: { model: modelId, offered: link.translator.models.map((m) => m.id) } },
        );
      }
      const res = await link.call(
        'session/set_config_option',
        link.connection.agent.request(link.methods.agent.session.setConfigOption, {
          sessionId,
          configId,
          value: modelId,
        }),
      );
      const mode = link.translator.applyConfigOptions(res.configOptions);
      if (mode) link.emit([{ type: 'mode.changed', data: { mode } }]);
      link.translator.currentModel = modelId;
    },
    async close() {
      link.turn.abort();
      // `session/close` frees the agent's session (and its CLI) before the process is ended.
      if (link.init.restore.close && !link.fatal && !link.proc.exited) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          link.call(
            'session/close',
            link.connection.agent.request(link.methods.agent.session.close, { sessionId }),
          ),
          new Promise((r) => (timer = setTimeout(r, 2000))),
        ]).catch(() => {});
        clearTimeout(timer);
      }
      await link.proc.close();
      link.connection.close();
    },
    async [Symbol.asyncDispose]() {
      await handle.close();
    },
  };
  return handle;
}
