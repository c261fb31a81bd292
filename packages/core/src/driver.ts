import type { AgentEventBody, StopReason } from './events.js';
import type {
  AgentCommand,
  AgentExit,
  AgentMode,
  PermissionOption,
  QuestionField,
  ToolContent,
  ToolKind,
} from './schemas.js';

/**
 * The seam between core and whatever runs agents. `@aegis/acp-runtime` implements it over ACP;
 * tests may implement it in memory. No protocol shapes cross this interface.
 */
export interface AgentDriver {
  /** Names of the agents this driver can start (the first is the default). */
  readonly agents: readonly string[];
  /**
   * Starts an agent process for one Aegis session and opens an agent-side session in `workDir`.
   * Resolves once the agent is ready for a prompt. Rejects with an `AegisError`
   * (`UNKNOWN_AGENT`, `AGENT_START_FAILED`, `AGENT_PROTOCOL_ERROR`, `AGENT_CRASHED`).
   */
  start(options: AgentStartOptions, sink: AgentSink): Promise<AgentHandle>;
  /**
   * Starts an agent process and reopens an agent-side session it created before (ACP
   * `session/resume`, else `session/load` with the replayed history dropped), e.g. after the
   * server was killed. Rejects like `start`, and `AGENT_START_FAILED` when the agent cannot
   * reopen sessions or does not know this one. Optional: drivers without it never resume.
   */
  resume?(options: AgentResumeOptions, sink: AgentSink): Promise<AgentHandle>;
  /**
   * Copies the agent's own files of one session (for Claude Code its transcript JSONL, never
   * credentials or settings), so the session can be resumed where those files are gone. `null`
   * when the agent keeps none that Aegis knows of. Optional.
   *
   * With `since` (the `mark` of this session's previous capture, whose snapshot the store holds),
   * the driver may copy only what was appended since: it then answers with `appended: true`.
   */
  captureConversation?(ref: ConversationRef, since?: unknown): Promise<ConversationSnapshot | null>;
  /** Puts captured files back before `resume`, where they are missing or older. Optional. */
  restoreConversation?(ref: ConversationRef, snapshot: ConversationSnapshot): Promise<void>;
  /** Releases what the driver holds beyond sessions (e.g. a warm pool of agent processes). */
  close?(): Promise<void>;
}

/** Which agent-side session a conversation snapshot belongs to. */
export interface ConversationRef {
  agent?: string | undefined;
  agentSessionId: string;
  workDir: string;
  env?: Record<string, string> | undefined;
  /** The Aegis session (a sandboxed agent keeps its files in the session's private HOME). */
  sessionId?: string | undefined;
  sandbox?: SandboxSpec | undefined;
}

/**
 * Confinement of a session's agent (see docs/security.md, "Sandboxed sessions"): only its workDir
 * (and `writablePaths`) writable, a private HOME and /tmp, nothing of the host's HOME, the server's
 * state or other sessions visible; network only to the model endpoint and `allowedHosts`, through
 * the server's egress proxy, which adds the model credentials on the way out.
 */
export interface SandboxSpec {
  /** `model` (default): the model endpoint and `allowedHosts`; `none`: no network at all. */
  network?: 'model' | 'none' | undefined;
  /** Hosts besides the model: `host`, `host:port` or `*.domain`. */
  allowedHosts?: string[] | undefined;
  /** Extra host paths visible read-only. */
  readOnlyPaths?: string[] | undefined;
  /** Extra host paths visible read-write. */
  writablePaths?: string[] | undefined;
}

/**
 * The agent's own conversation files of one session, as the driver captured them. Opaque to core:
 * stored as is and handed back to the same kind of driver.
 */
export interface ConversationSnapshot {
  agentSessionId: string;
  /**
   * Paths relative to the agent's state directory, with their content (the driver's encoding).
   * A path may come in several pieces, in order: a piece with `from` (the byte offset it starts at)
   * continues the ones before it, a piece without starts the file anew.
   */
  files: ConversationPiece[];
  /** Size of the files before encoding (all of them, also when `appended`). */
  bytes: number;
  capturedAt: string;
  /**
   * `files` holds only what was appended since the capture whose `mark` was passed as `since`: the
   * store adds it to what it holds ({@link ConversationStore.append}) instead of replacing that.
   */
  appended?: boolean | undefined;
  /** What the driver needs to capture only what is appended next time. Kept in memory, never stored. */
  mark?: unknown;
}

/** One file of a conversation snapshot, or a piece of it. */
export interface ConversationPiece {
  path: string;
  encoding: string;
  data: string;
  /** The byte offset of the file this piece starts at; absent (or 0): the file from its start. */
  from?: number | undefined;
}

export interface AgentStartOptions {
  sessionId: string;
  workDir: string;
  /** Agent name; `undefined` means the driver's default. */
  agent?: string | undefined;
  /** Extra environment for the child, already filtered by the caller. */
  env?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Run the agent confined (the driver refuses with `SANDBOX_UNAVAILABLE` when it cannot). */
  sandbox?: SandboxSpec | undefined;
}

export interface AgentResumeOptions extends AgentStartOptions {
  /** The agent-side session id (`AgentInfo.agentSessionId` when it was started). */
  agentSessionId: string;
}

/** How an agent can reopen its sessions in a new process. */
export interface AgentRestore {
  /** ACP `session/load`: reopens and replays the history. */
  load: boolean;
  /** ACP `session/resume`: reopens without replaying. */
  resume: boolean;
}

export interface PermissionRequest {
  toolCallId: string | null;
  title: string;
  kind: ToolKind | null;
  input?: unknown;
  content: ToolContent[];
  options: PermissionOption[];
}

export type PermissionDecision = { outcome: 'selected'; optionId: string } | { outcome: 'cancelled' };

/** A question the agent asks the user (Claude Code's AskUserQuestion arrives as a form elicitation). */
export interface QuestionRequest {
  toolCallId: string | null;
  message: string;
  questions: QuestionField[];
}

/** `answers` is keyed by `QuestionField.id`; `declined` tells the agent the user skipped. */
export type QuestionAnswer =
  | { outcome: 'answered'; answers: Record<string, string | string[]> }
  | { outcome: 'declined' }
  | { outcome: 'cancelled' };

/** Where a driver sends what the agent does. Called in the order things happened. */
export interface AgentSink {
  /** An agent update, already translated into a core event body. */
  update(event: AgentEventBody): void;
  /** The agent asks for permission; resolve with the decision. `signal` aborts when the turn is cancelled. */
  requestPermission(request: PermissionRequest, signal: AbortSignal): Promise<PermissionDecision>;
  /** The agent asks the user a question; resolve with the answer. `signal` aborts when the turn is cancelled. */
  askQuestion(request: QuestionRequest, signal: AbortSignal): Promise<QuestionAnswer>;
  /** The agent process is gone. `expected` is true after `close()`. Called exactly once. */
  exited(exit: AgentExit & { expected: boolean }): void;
}

export interface AgentInfo {
  agentName: string;
  agentVersion: string | null;
  protocolVersion: number | null;
  pid: number | null;
  modes: AgentMode[];
  currentMode: string | null;
  models: { id: string; name: string }[];
  currentModel: string | null;
  commands: AgentCommand[];
  /** The agent-side session id (ACP `sessionId`), when the driver has one. */
  agentSessionId?: string | null | undefined;
  /** Whether the agent can reopen its sessions in a new process (what `resume` needs). */
  restore?: AgentRestore | undefined;
  /** Set on a handle `resume` returned: how the session was reopened. */
  resumedVia?: 'session/load' | 'session/resume' | undefined;
}

export interface TurnResult {
  stopReason: StopReason;
  /** Tokens the turn used, when the agent reports them (ACP's `PromptResponse.usage`, per turn). */
  usage?: TurnTokens | undefined;
}

/** Tokens of one turn. */
export interface TurnTokens {
  inputTokens: number;
  outputTokens: number;
  cachedReadTokens?: number | undefined;
  cachedWriteTokens?: number | undefined;
}

/** A running agent session. */
export interface AgentHandle {
  readonly info: AgentInfo;
  /**
   * Runs one turn. Resolves when the turn ends (never a short timeout: turns take minutes).
   * Rejects with an `AegisError`: `AGENT_AUTH_REQUIRED` (with a fix-it hint), `RATE_LIMITED`
   * (details.retryAfterMs when known), `AGENT_PROTOCOL_ERROR`, `AGENT_CRASHED`.
   */
  prompt(text: string): Promise<TurnResult>;
  /** Asks the agent to cancel the running turn; the pending `prompt()` then resolves `cancelled`. */
  cancel(): Promise<void>;
  /** Switches the agent's mode; rejects `UNSUPPORTED_MODE` when the agent does not offer it. */
  setMode(modeId: string): Promise<void>;
  /** Switches the model; rejects `UNSUPPORTED_MODEL` when the agent does not offer it. */
  setModel(modelId: string): Promise<void>;
  /** Ends the agent: stdin end → grace → SIGTERM → SIGKILL. Resolves when the process is gone. */
  close(): Promise<void>;
}
