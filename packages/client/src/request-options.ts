/**
 * Per-call options of the operations that accept an `Idempotency-Key` (create, send, approve,
 * reject, batch and pipeline create).
 *
 * @example
 * const key = crypto.randomUUID(); // one key for the request and all its retries
 * await aegis.sendMessage(id, { text: 'Run the tests' }, { idempotencyKey: key });
 */
export interface CallOptions {
  /**
   * Sent as `Idempotency-Key`: a retry with the same key and the same request gets the first
   * response (the prompt is sent once, one session is created). 1–255 printable ASCII characters.
   */
  idempotencyKey?: string | undefined;
}

/** What an operation method hands to the client's one request function. */
export interface RequestOptions {
  body?: unknown;
  query?: object;
  call?: CallOptions | undefined;
  headers?: Record<string, string>;
}
