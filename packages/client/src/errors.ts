import type { ErrorBody } from './types.js';

/** An error answered by the API, carrying the envelope's `code` to branch on. */
export class AegisApiError extends Error {
  override readonly name = 'AegisApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The error for a non-2xx response whose body was `text`: the envelope's code, message and details
 * when the body is one, else `HTTP_<status>` and `fallbackMessage`.
 */
export function apiError(
  res: Response,
  text: string,
  fallbackMessage: string = res.statusText,
): AegisApiError {
  const err = (safeJson(text) as ErrorBody | undefined)?.error;
  return new AegisApiError(
    res.status,
    err?.code ?? `HTTP_${res.status}`,
    err?.message ?? fallbackMessage,
    err?.details,
  );
}

/** `JSON.parse`, or `undefined` for text that is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
