import type { StopReason, TurnTokens } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';

/** What Aegis offers an agent at `initialize`: fs access inside the workDir, form questions, no terminal. */
export const CLIENT_CAPABILITIES: acp.ClientCapabilities = Object.freeze({
  fs: { readTextFile: true, writeTextFile: true },
  terminal: false,
  // Claude Code asks AskUserQuestion through a form elicitation when this is offered.
  elicitation: { form: {} },
});

/** What Aegis tells an agent about itself at `initialize` (`protocolVersion`: the SDK's). */
export function initializeParams(clientVersion: string, protocolVersion: number): acp.InitializeRequest {
  return {
    protocolVersion,
    clientInfo: { name: 'aegis', title: 'Aegis', version: clientVersion },
    clientCapabilities: CLIENT_CAPABILITIES,
  };
}

/** What the agent said about itself at `initialize`. */
export interface AgentInit {
  agentVersion: string | null;
  protocolVersion: number;
  /** `session/load` (`loadSession`), `session/resume` and `session/close` (`sessionCapabilities`). */
  restore: { load: boolean; resume: boolean; close: boolean };
}

export function readInitialize(res: acp.InitializeResponse): AgentInit {
  const caps = res.agentCapabilities;
  return {
    agentVersion: res.agentInfo?.version ?? null,
    protocolVersion: res.protocolVersion,
    restore: {
      load: caps?.loadSession === true,
      resume: caps?.sessionCapabilities?.resume != null,
      close: caps?.sessionCapabilities?.close != null,
    },
  };
}

export function promptParams(sessionId: string, text: string): acp.PromptRequest {
  return { sessionId, prompt: [{ type: 'text', text }] };
}

export function toStopReason(res: acp.PromptResponse): StopReason {
  return STOP_REASONS.has(res.stopReason) ? (res.stopReason as StopReason) : 'end_turn';
}
/**
 * The tokens of the turn from the response's `usage` (unstable in ACP; Claude Code's adapter
 * reports the turn's own tokens there); `undefined` when absent or malformed.
 */
export function toTurnTokens(res: acp.PromptResponse): TurnTokens | undefined {
  const u = (res as { usage?: unknown }).usage;
  if (typeof u !== 'object' || u === null) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
  const r = u as Record<string, unknown>;
  return {
    inputTokens: n(r.inputTokens),
    outputTokens: n(r.outputTokens),
    cachedReadTokens: n(r.cachedReadTokens),
    cachedWriteTokens: n(r.cachedWriteTokens),
  };
}
const STOP_REASONS = new Set<string>(['end_turn', 'max_tokens', 'max_turn_requests', 'refusal', 'cancelled']);
