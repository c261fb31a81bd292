/** What a request to the fake Messages API was recognised as. */
export type RequestKind = 'main' | 'title' | 'suggestion' | 'classifier' | 'count_tokens' | 'other';

/** One request the fake server received (in arrival order). */
export interface RecordedRequest {
  /** Monotonic index, starting at 0. */
  index: number;
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** Full URL path including the query string, e.g. `/v1/messages?beta=true`. */
  url: string;
  /** `model` from the JSON body, if any. */
  model?: string;
  /** Whether the body asked for `stream: true`. */
  stream: boolean;
  kind: RequestKind;
  /** Id of the prompt rule that decided a `main` answer (see `FAKE_MESSAGES_RULES`). */
  rule?: string;
  /** The prompt text of the current turn, for `main` requests. */
  prompt?: string;
  /** Number of tool results seen after the prompt, for `main` requests. */
  toolResults?: number;
  /** HTTP status sent back. */
  status: number;
  /** Milliseconds since the server started. */
  at: number;
  /** Parsed JSON body (kept so tests can look at system prompts, tools, ...). */
  body?: unknown;
}

export interface FakeMessagesApiOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Delay in ms between streamed chunks when the prompt has no `slow: N` prefix. Default 0. */
  chunkDelayMs?: number;
  /** Value of the `retry-after` header on the 429/529 triggers, in seconds. Default "0". */
  retryAfterSeconds?: number;
  /**
   * Whether Claude Code should retry the 429/529 triggers. Default `false`: the error carries
   * `x-should-retry: false`, which Claude Code honours, so the turn fails at once. `true` omits that
   * header (what the real API does): Claude Code then retries with exponential backoff for minutes
   * before it gives up (see README).
   */
  shouldRetry?: boolean;
  /** Called for every request after it is recorded (e.g. for logging). */
  onRequest?: (request: RecordedRequest) => void;
  /** Keep request bodies in `requests[i].body`. Default true. */
  keepBodies?: boolean;
}

export interface FakeMessagesApi {
  /** Base URL to use as `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A tool definition as sent by Claude Code (subset). */
export interface ToolDef {
  name: string;
  description?: string;
  input_schema?: unknown;
}

/** One planned content block of an assistant reply. */
export type PlannedBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A planned reply of the fake model: either a message, or an HTTP error. */
export type PlannedReply =
  | {
      type: 'message';
      rule: string;
      blocks: PlannedBlock[];
      stopReason: 'end_turn' | 'tool_use';
      /** Delay between streamed chunks in ms. */
      chunkDelayMs: number;
    }
  | {
      type: 'error';
      rule: string;
      status: number;
      errorType: string;
      message: string;
    };
