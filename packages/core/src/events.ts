import { z } from 'zod';
import { Budget, BudgetLimit } from './budget.js';
import {
  AgentCommand,
  AgentExit,
  AgentMode,
  PermissionMode,
  PermissionOption,
  PermissionOptionKind,
  QuestionField,
  SessionProblem,
  SessionStatus,
  ToolContent,
  ToolKind,
  ToolLocation,
  ToolStatus,
} from './schemas.js';
import { TurnUsage } from './usage.js';

/** Who answered a permission request. */
export const Decider = z
  .object({
    type: z.enum(['human', 'policy', 'system']),
    actor: z.string().nullable(),
    rule: z.string().nullable().optional(),
    source: z
      .enum(['server', 'session'])
      .optional()
      .describe(
        "For policy decisions: whose rule decided — the server's rules (the administrator's ceiling) or the session's own `policies`",
      ),
  })
  .meta({ id: 'Decider' });
export type Decider = z.infer<typeof Decider>;

export const StopReason = z
  .enum(['end_turn', 'max_tokens', 'max_turn_requests', 'refusal', 'cancelled'])
  .meta({ id: 'StopReason' });
export type StopReason = z.infer<typeof StopReason>;

export const PlanEntry = z
  .object({
    content: z.string(),
    priority: z.enum(['high', 'medium', 'low']),
    status: z.enum(['pending', 'in_progress', 'completed']),
  })
  .meta({ id: 'PlanEntry' });

const toolFields = {
  toolCallId: z.string(),
  title: z.string().optional(),
  kind: ToolKind.optional(),
  status: ToolStatus.optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  content: z.array(ToolContent).optional(),
  locations: z.array(ToolLocation).optional(),
};

/** Data of each event type; the key is the event's `type`. */
export const EVENT_DATA = {
  'session.created': z.object({
    name: z.string().nullable(),
    workDir: z.string(),
    agent: z.string(),
    permissionMode: PermissionMode,
    model: z.string().nullable(),
    parentId: z.string().nullable(),
    envNames: z
      .array(z.string())
      .default([])
      .describe(
        "The names of the session's own env variables (from the request or its template); their values are never stored",
      ),
  }),
  'agent.ready': z.object({
    agentName: z.string(),
    agentVersion: z.string().nullable(),
    protocolVersion: z.number().nullable(),
    pid: z.number().int().nullable(),
    modes: z.array(AgentMode),
    currentMode: z.string().nullable(),
    models: z.array(z.object({ id: z.string(), name: z.string() })),
    currentModel: z.string().nullable(),
  }),
  /**
   * The session's agent process was closed to free memory (idle past `idleEvictMs`, room needed for
   * another session, or a server shutdown). The session stays in its state; the next prompt starts
   * a process and resumes the conversation (`agent.resumed`).
   */
  'agent.evicted': z.object({
    reason: z.string(),
    /** Bytes of the agent's own conversation files captured into the store, when the agent has them. */
    snapshotBytes: z.number().int().nullable(),
  }),
  /** A new agent process took the session on after an eviction or a restart, and how. */
  'agent.resumed': z.object({
    via: z
      .enum(['resume', 'load', 'replay', 'fresh'])
      .describe(
        '`resume`/`load`: the agent reopened its own conversation (ACP session/resume or session/load); `replay`: it could not, so a fresh agent session was given a bounded rendering of the transcript; `fresh`: there was no conversation to bring back',
      ),
    durationMs: z.number(),
    /** Why native resume was not used, when it was not. */
    reason: z.string().nullable(),
  }),
  /**
   * Another node took the session on (cluster): its owner died or was cut off past its lease, or
   * drained. What was running there is recorded next (a running turn fails as interrupted); the
   * session waits, dormant, and its next prompt resumes the conversation on this node.
   */
  'session.adopted': z.object({
    /** The node that held it before (`null`: none did). */
    fromNode: z.string().nullable(),
    /** The node that owns it now. */
    node: z.string(),
    reason: z.string(),
  }),
  'session.state_changed': z.object({
    from: SessionStatus,
    to: SessionStatus,
    reason: z.string().nullable(),
  }),
  'session.info_updated': z.object({ title: z.string().nullable() }),
  'turn.started': z.object({ turnId: z.string(), text: z.string(), queuedMs: z.number() }),
  'turn.completed': z.object({
    turnId: z.string(),
    stopReason: StopReason,
    durationMs: z.number(),
    /** What the turn used (its usage-ledger row); absent on events recorded before the ledger. */
    usage: TurnUsage.optional(),
  }),
  'turn.failed': z.object({
    turnId: z.string(),
    problem: SessionProblem,
    rateLimited: z.boolean(),
    durationMs: z.number(),
    usage: TurnUsage.optional(),
  }),
  'turn.stalled': z.object({ turnId: z.string(), silentMs: z.number() }),
  /**
   * Queued prompts that will never run (an interrupt, a shutdown or a budget drops them; so does a
   * restart, for prompts that waited for the agent to start), so whoever queued them can tell.
   */
  'prompts.dropped': z.object({
    count: z.number().int(),
    /**
     * The first 200 characters of each dropped prompt, in queue order; empty when a process died
     * with them and only their count was stored.
     */
    texts: z.array(z.string()),
    reason: z.string(),
  }),
  'message.delta': z
    .object({
      messageId: z.string(),
      text: z
        .string()
        .describe(
          "The message's next text. A delta may carry several of the agent's chunks: consecutive chunks of one message that arrive together are stored and sent as one delta (the same text, in the same order; the transcript is unchanged).",
        ),
    })
    .describe('Text streamed into a message; join the deltas of one `messageId` in `seq` order.'),
  'message.completed': z.object({ messageId: z.string(), text: z.string() }),
  'thought.delta': z.object({ messageId: z.string(), text: z.string() }),
  'tool.started': z.object(toolFields),
  'tool.updated': z.object(toolFields),
  'tool.completed': z.object({ ...toolFields, status: z.enum(['completed', 'failed']) }),
  'permission.requested': z.object({
    requestId: z.string(),
    toolCallId: z.string().nullable(),
    title: z.string(),
    kind: z.union([ToolKind, z.null()]),
    input: z.unknown().optional(),
    content: z.array(ToolContent).default([]),
    options: z.array(PermissionOption),
  }),
  'permission.resolved': z.object({
    requestId: z.string(),
    outcome: z.enum(['selected', 'cancelled']),
    optionId: z.string().nullable(),
    optionKind: z.union([PermissionOptionKind, z.null()]),
    decidedBy: Decider,
    waitedMs: z.number(),
  }),
  'question.asked': z.object({
    questionId: z.string(),
    toolCallId: z.string().nullable(),
    message: z.string(),
    questions: z.array(QuestionField),
  }),
  'question.answered': z.object({
    questionId: z.string(),
    outcome: z.enum(['answered', 'declined', 'cancelled']),
    answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    decidedBy: Decider,
    waitedMs: z.number(),
  }),
  'plan.updated': z.object({ entries: z.array(PlanEntry) }),
  'usage.updated': z.object({
    contextUsed: z.number().nullable().optional(),
    contextSize: z.number().nullable().optional(),
    costUsd: z.number().nullable().optional(),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    cachedReadTokens: z.number().optional(),
    cachedWriteTokens: z.number().optional(),
  }),
  /** The session has used 80 % or more of one budget limit (recorded once per limit). */
  'budget.warning': z.object({
    limit: BudgetLimit,
    used: z.number(),
    max: z.number(),
    scope: z.enum(['session', 'key']).describe("`key`: the owner's daily budget, not the session's"),
    message: z.string(),
  }),
  /**
   * A budget limit was passed: the running turn was cancelled (it fails `BUDGET_EXCEEDED`) and
   * prompts are refused with 429 until the budget is raised.
   */
  'budget.exceeded': z.object({
    limit: BudgetLimit,
    used: z.number(),
    max: z.number(),
    scope: z.enum(['session', 'key']),
    message: z.string(),
    hint: z.string(),
  }),
  /** The session's budget was changed (PATCH); a stop it caused is lifted when the new one allows it. */
  'budget.updated': z.object({
    budget: z.union([Budget, z.null()]),
    by: z.string().nullable().describe('Who changed it (API key id); `null`: the local user'),
  }),
  'commands.updated': z.object({ commands: z.array(AgentCommand) }),
  'mode.changed': z.object({ mode: z.string() }),
  'session.ended': z.object({
    status: z.enum(['completed', 'killed', 'crashed']),
    reason: z.string(),
    exit: z.union([AgentExit, z.null()]),
  }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as [EventType, ...EventType[]];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

const schemaName = (type: string): string =>
  `${type
    .split(/[._]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}Event`;

function variant<T extends EventType>(type: T) {
  return z
    .object({
      id: z.number().int().describe('Global position in the event log, increasing across all sessions'),
      sessionId: z.string(),
      seq: z.number().int().describe('Per-session sequence number, strictly increasing; the SSE event id'),
      at: z.string().describe('ISO-8601 time the event was recorded'),
      type: z.literal(type),
      data: EVENT_DATA[type],
    })
    .meta({ id: schemaName(type) });
}

const variants = EVENT_TYPES.map((t) => variant(t)) as unknown as {
  [K in EventType]: ReturnType<typeof variant<K>>;
}[EventType][];

/** The event union: one discriminated union on `type`. */
export const AegisEvent = z
  .discriminatedUnion('type', variants as unknown as [ReturnType<typeof variant<'session.created'>>])
  .meta({ id: 'AegisEvent' });

export type AegisEvent = { [K in EventType]: EventOf<K> }[EventType];
export type EventOf<T extends EventType> = {
  id: number;
  sessionId: string;
  seq: number;
  at: string;
  type: T;
  data: EventData<T>;
};

/** An event before the store gave it its global `id`. */
export type EventDraft = { [K in EventType]: Omit<EventOf<K>, 'id'> }[EventType];

/** The `type` + `data` part an agent driver produces. */
export type EventBody = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];
export type AgentEventBody = Extract<
  EventBody,
  {
    type:
      | 'message.delta'
      | 'thought.delta'
      | 'tool.started'
      | 'tool.updated'
      | 'tool.completed'
      | 'plan.updated'
      | 'usage.updated'
      | 'commands.updated'
      | 'mode.changed'
      | 'session.info_updated';
  }
>;
