import { AegisApiError } from '@aegis/client';

/** What an MCP tool returns: one text block, flagged as an error when the call failed. */
export type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

export const ok = (data: unknown): ToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
});

/** Socket-level codes meaning the server could not be reached (Node's fetch puts them on `cause`). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** True when `err` is fetch failing to reach the server, not an error the server or our code raised. */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  }
  return err instanceof TypeError && err.message === 'fetch failed';
}

/** The text of a failed tool call: the API error's code, `AEGIS_UNREACHABLE` only for network failures, else `INTERNAL`. */
export function errorText(err: unknown): string {
  if (err instanceof AegisApiError) return `${err.code}: ${err.message}`;
  if ((err as Error | undefined)?.name === 'AbortError')
    return 'CANCELLED: the request was cancelled by the client.';
  const message = err instanceof Error ? err.message : String(err);
  if (isUnreachable(err)) return `AEGIS_UNREACHABLE: ${message}. Is the Aegis server running (ag serve)?`;
  return `INTERNAL: ${message}. This is a bug in the Aegis MCP server; please report it.`;
}

/** Runs a tool body, turning failures into MCP tool errors that carry a code (see {@link errorText}). */
export async function call(fn: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return ok(await fn());
  } catch (err) {
    return { content: [{ type: 'text', text: errorText(err) }], isError: true };
  }
}

/** A tool input the tool itself refuses (before any request), coded as the API codes bad input. */
export const invalidInput = (message: string): ToolResult => ({
  content: [{ type: 'text', text: `VALIDATION_FAILED: ${message}` }],
  isError: true,
});
