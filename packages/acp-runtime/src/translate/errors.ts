import { AegisError } from '@aegis/core';
import { compact } from './tool-fields.js';

export const AUTH_HINT =
  'Claude Code is not logged in: set ANTHROPIC_API_KEY, or run `claude /login`, or point ANTHROPIC_BASE_URL at a gateway.';

function retryAfterMs(text: string, data: unknown): number | undefined {
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (typeof d.retryAfterMs === 'number') return d.retryAfterMs;
    if (typeof d.retryAfter === 'number') return d.retryAfter * 1000;
  }
  const match = /retry[- _]?after\D{0,5}(\d+(?:\.\d+)?)\s*(ms|s)?/i.exec(text);
  if (!match) return undefined;
  return match[2] === 'ms' ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Maps a JSON-RPC error answered by the agent (to `session/prompt` or another request) into an `AegisError`. */
export function toAegisError(err: unknown, method: string): AegisError {
  if (err instanceof AegisError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  const code = typeof e.code === 'number' ? e.code : null;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const data = e.data;
  const text = `${message} ${data === undefined ? '' : JSON.stringify(data)}`;
  const details = compact({ method, rpcCode: code ?? undefined, rpcMessage: message, data });
  if (code === -32000 || /authentication required|not logged in|invalid api key/i.test(message)) {
    return new AegisError('AGENT_AUTH_REQUIRED', AUTH_HINT, { details, cause: err });
  }
  const errorKind =
    data && typeof data === 'object' ? (data as { errorKind?: unknown }).errorKind : undefined;
  if (errorKind === 'rate_limit' || /\b429\b|rate[ _-]?limit|overloaded/i.test(text)) {
    const after = retryAfterMs(text, data);
    return new AegisError('RATE_LIMITED', `The model provider rate-limited the turn: ${message}`, {
      details: { ...details, ...(after === undefined ? {} : { retryAfterMs: after }) },
      cause: err,
    });
  }
  return new AegisError('AGENT_PROTOCOL_ERROR', `The agent answered ${method} with an error: ${message}`, {
    details,
    cause: err,
  });
}
