import type { Budget } from './budget.js';
import type { AegisEvent } from './events.js';
import type { PermissionAnswer } from './permission-queue.js';
import type { QuestionReply } from './question-answers.js';
import type { AgentCommand, PermissionMode, PromptDelivery, Session, SessionStatus } from './schemas.js';
import type { Actor, CreateSessionInput } from './session-input.js';
import type { TranscriptEntry, TranscriptPage, TranscriptRole } from './transcript.js';

export type { PromptDelivery } from './schemas.js';
export { Actor, CreateSessionInput, SessionSpecInput } from './session-input.js';
export type { TranscriptPage } from './transcript.js';

export interface CreateSessionResult {
  session: Session;
  reused: boolean;
  promptDelivery: PromptDelivery | null;
}

export interface ListSessionsInput {
  status?: SessionStatus[] | undefined;
  workDir?: string | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

/**
 * `aegis.sessions`: what can be done with sessions. Every method takes the calling `actor` last
 * (default: the local user, an admin); a session the actor may not see is `SESSION_NOT_FOUND`.
 * On a cluster node, a session another node owns throws `SESSION_ELSEWHERE`.
 */
export interface SessionsApi {
  /**
   * Creates a session (or reuses an idle one of the same owner in the same workDir) and resolves
   * once its agent is ready. A given `prompt` is delivered (or queued) right away.
   */
  create(input: CreateSessionInput, actor?: Actor): Promise<CreateSessionResult>;
  /**
   * Whether `create(input)` would start a new session (an agent process) rather than reuse an
   * idle one — what session caps count. `claimed` holds idle sessions earlier items of the same
   * request would reuse; a reuse found here is added to it. A workDir that does not resolve
   * starts nothing (create answers with the error).
   */
  startsNew(input: CreateSessionInput, actor?: Actor, claimed?: Set<string>): Promise<boolean>;
  /** One session: its live state when it runs in this process, else as stored. */
  get(id: string, actor?: Actor): Promise<Session>;
  /** A page of the sessions the actor may see (`page` from 1, `limit` default 20). */
  list(
    input?: ListSessionsInput,
    actor?: Actor,
  ): Promise<{ sessions: Session[]; total: number; page: number; limit: number }>;
  /** How many sessions are in each state, every state listed (0 when none), whoever owns them. */
  countByStatus(): Promise<Record<SessionStatus, number>>;
  /** Sends a prompt: delivered now when idle, otherwise queued in order behind the running turn. */
  prompt(id: string, text: string, actor?: Actor): Promise<PromptDelivery>;
  /** Answers the oldest pending permission request. 409 `NOTHING_PENDING` when none is. */
  respondPermission(
    id: string,
    answer: PermissionAnswer,
    actor?: Actor,
  ): Promise<{ requestId: string; optionId: string; optionKind: string }>;
  /** Cancels the running turn (answering open permission requests `cancelled`) and drops queued prompts. */
  interrupt(id: string, actor?: Actor): Promise<{ interrupted: boolean; droppedPrompts: number }>;
  /** Answers the pending question (state `asking`). 409 `NOTHING_PENDING` when none is. */
  answerQuestion(
    id: string,
    reply: QuestionReply,
    actor?: Actor,
  ): Promise<{ questionId: string; answers: Record<string, string | string[]> }>;
  /** Dismisses a pending question (declined) or permission (rejected) without cancelling the turn. */
  escape(id: string, actor?: Actor): Promise<{ dismissed: 'permission' | 'question'; requestId: string }>;
  /**
   * The agent's slash commands (from `available_commands_update`). Waits up to `waitMs` for a live
   * agent that has not announced them yet.
   */
  discoverCommands(
    id: string,
    opts?: { waitMs?: number },
    actor?: Actor,
  ): Promise<{ commands: AgentCommand[]; session: Session }>;
  /** Whether the session's agent process is up, and how long it has been without an event. */
  liveness(id: string, actor?: Actor): Promise<{ alive: boolean; inactiveMs: number | null }>;
  /**
   * Replaces the session's budget (`null`: none). A stop the old budget caused is lifted when the
   * new one allows the use so far, and the session takes prompts again.
   */
  setBudget(id: string, budget: Budget | null, actor?: Actor): Promise<Session>;
  /** Changes the permission mode (`FORBIDDEN` when the actor may not choose it). */
  setMode(id: string, mode: PermissionMode, actor?: Actor): Promise<Session>;
  /** Stops the agent and marks the session `killed`; it stays in the store for audit. */
  kill(id: string, actor?: Actor): Promise<Session>;
  /** Transcript entries after a client-held cursor, oldest first. */
  read(
    id: string,
    opts?: { after?: number; limit?: number },
    actor?: Actor,
  ): Promise<{
    status: SessionStatus;
    session: Session;
    entries: TranscriptEntry[];
    cursor: number;
    has_more: boolean;
  }>;
  /** Pages the transcript backwards from `before` (newest first within a page, returned oldest first). */
  transcriptPage(
    id: string,
    opts?: { before?: number; limit?: number; role?: TranscriptRole[] },
    actor?: Actor,
  ): Promise<TranscriptPage>;
  /** Stored events of one session after `after` (by seq). */
  events(id: string, opts?: { after?: number; limit?: number }, actor?: Actor): Promise<AegisEvent[]>;
}
