/**
 * The one error type of Aegis. Every failure that crosses a package boundary is an `AegisError`
 * with a stable UPPER_SNAKE `code`; edges (HTTP, MCP, CLI) convert it once, using {@link errorStatus}.
 *
 * @example
 * throw AegisError.notFound(id) // → 404 { error: { code: "SESSION_NOT_FOUND", ... } }
 */
export const ERROR_STATUS = Object.freeze({
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  WORKDIR_DENIED: 400,
  UNSUPPORTED_MODE: 400,
  UNSUPPORTED_MODEL: 400,
  UNKNOWN_AGENT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  SESSION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CHANNEL_NOT_FOUND: 404,
  NOTHING_PENDING: 409,
  INVALID_TRANSITION: 409,
  SESSION_TERMINATED: 409,
  CONFLICT: 409,
  CHANNEL_NOT_CONFIGURED: 409,
  /** A node's write for a session another node has taken over (cluster); nothing was written. */
  LEASE_LOST: 409,
  /** The session (or a new session's placement) belongs to another node; the server forwards it there. */
  SESSION_ELSEWHERE: 421,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  CAPACITY_EXHAUSTED: 429,
  /** A session (or its API key, per day) is past its budget; the message says which limit to raise. */
  BUDGET_EXCEEDED: 429,
  INTERNAL: 500,
  /** A documented feature this server does not have (tmux-era pane capture, screenshots); the message says what to use. */
  NOT_IMPLEMENTED: 501,
  AGENT_PROTOCOL_ERROR: 502,
  AGENT_CRASHED: 502,
  AGENT_AUTH_REQUIRED: 502,
  AGENT_START_FAILED: 502,
  AGENT_TIMEOUT: 504,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  /** The node that owns the session does not answer; another node adopts it once its lease runs out. */
  NODE_UNAVAILABLE: 503,
  SANDBOX_UNAVAILABLE: 503,
} as const);

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export interface AegisErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AegisError extends Error {
  override readonly name = 'AegisError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AegisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }

  static sessionNotFound(id: string): AegisError {
    return new AegisError('SESSION_NOT_FOUND', `Session ${id} does not exist. List the sessions.`, {
      details: { sessionId: id, next: 'listSessions' },
    });
  }

  static nothingPending(id: string): AegisError {
    return new AegisError(
      'NOTHING_PENDING',
      `Session ${id} has no pending permission request. Wait for status permission_prompt before approving or rejecting.`,
      { details: { sessionId: id } },
    );
  }

  static terminated(id: string, status: string): AegisError {
    return new AegisError(
      'SESSION_TERMINATED',
      `Session ${id} has ended (${status}) and cannot take this action. Create a new session.`,
      { details: { sessionId: id, status } },
    );
  }

  static invalidTransition(from: string, trigger: string): AegisError {
    return new AegisError('INVALID_TRANSITION', `A session in state ${from} cannot take ${trigger}.`, {
      details: { from, trigger },
    });
  }

  static validation(message: string, details?: Record<string, unknown>): AegisError {
    return new AegisError('VALIDATION_FAILED', message, details ? { details } : {});
  }

  /** Wraps anything thrown into an AegisError, keeping the original as `cause`. */
  static fromUnknown(err: unknown, fallback: ErrorCode = 'INTERNAL'): AegisError {
    if (err instanceof AegisError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new AegisError(fallback, message || 'Unexpected error', { cause: err });
  }
}

export function isAegisError(err: unknown): err is AegisError {
  return err instanceof AegisError;
}

export function errorStatus(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
