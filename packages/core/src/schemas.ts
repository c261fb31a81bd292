import { z } from 'zod';
import { Budget, BudgetStatus } from './budget.js';
import { linearRegexProblem } from './linear-regex.js';

/** Every state a session can be in. Names are public API (see ARCHITECTURE.md). */
export const SessionStatus = z
  .enum([
    'pending',
    'idle',
    'working',
    'permission_prompt',
    'asking',
    'stalled',
    'rate_limit',
    'error',
    'completed',
    'killed',
    'crashed',
  ])
  .meta({ id: 'SessionStatus' });
export type SessionStatus = z.infer<typeof SessionStatus>;

export const TERMINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(['completed', 'killed', 'crashed']);
export const isTerminal = (status: SessionStatus): boolean => TERMINAL_STATUSES.has(status);
/** The states of a session that has not ended, in the order of {@link SessionStatus}. */
export const LIVE_STATUSES: readonly SessionStatus[] = SessionStatus.options.filter(
  (s) => !TERMINAL_STATUSES.has(s),
);

export const PermissionMode = z
  .enum(['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto'])
  .meta({ id: 'PermissionMode' });
export type PermissionMode = z.infer<typeof PermissionMode>;

/** Kinds of permission options an agent offers (ACP `PermissionOptionKind`). */
export const PermissionOptionKind = z
  .enum(['allow_once', 'allow_always', 'reject_once', 'reject_always'])
  .meta({ id: 'PermissionOptionKind' });
export type PermissionOptionKind = z.infer<typeof PermissionOptionKind>;

export const PermissionOption = z
  .object({ optionId: z.string(), name: z.string(), kind: PermissionOptionKind })
  .meta({ id: 'PermissionOption' });
export type PermissionOption = z.infer<typeof PermissionOption>;

export const ToolKind = z
  .enum(['read', 'edit', 'delete', 'move', 'search', 'execute', 'think', 'fetch', 'switch_mode', 'other'])
  .meta({ id: 'ToolKind' });
export type ToolKind = z.infer<typeof ToolKind>;

export const ToolStatus = z
  .enum(['pending', 'in_progress', 'completed', 'failed'])
  .meta({ id: 'ToolStatus' });
export type ToolStatus = z.infer<typeof ToolStatus>;

export const ToolContent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({
      type: z.literal('diff'),
      path: z.string(),
      oldText: z.string().nullable(),
      newText: z.string(),
    }),
    z.object({ type: z.literal('terminal'), terminalId: z.string() }),
  ])
  .meta({ id: 'ToolContent' });
export type ToolContent = z.infer<typeof ToolContent>;

export const ToolLocation = z
  .object({ path: z.string(), line: z.number().int().nullable().optional() })
  .meta({ id: 'ToolLocation' });
export type ToolLocation = z.infer<typeof ToolLocation>;

export const PendingPermission = z
  .object({
    requestId: z.string(),
    toolCallId: z.string().nullable(),
    title: z.string(),
    kind: z.union([ToolKind, z.null()]),
    input: z.unknown().optional(),
    content: z.array(ToolContent).default([]),
    options: z.array(PermissionOption),
    requestedAt: z.string(),
  })
  .meta({ id: 'PendingPermission' });
export type PendingPermission = z.infer<typeof PendingPermission>;

export const Usage = z
  .object({
    inputTokens: z.number().default(0),
    outputTokens: z.number().default(0),
    cachedReadTokens: z.number().default(0),
    cachedWriteTokens: z.number().default(0),
    totalTokens: z.number().default(0),
    costUsd: z.number().nullable().default(null),
    contextUsed: z.number().nullable().default(null),
    contextSize: z.number().nullable().default(null),
    durationMs: z.number().default(0).describe('Time the agent spent working in turns, summed'),
    toolCalls: z.number().int().default(0),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof Usage>;

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedReadTokens: 0,
  cachedWriteTokens: 0,
  totalTokens: 0,
  costUsd: null,
  contextUsed: null,
  contextSize: null,
  durationMs: 0,
  toolCalls: 0,
});

export const SessionProblem = z
  .object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    retryAt: z.string().optional(),
  })
  .meta({ id: 'SessionProblem' });
export type SessionProblem = z.infer<typeof SessionProblem>;

export const AgentExit = z
  .object({
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    stderrTail: z.string(),
  })
  .meta({ id: 'AgentExit' });
export type AgentExit = z.infer<typeof AgentExit>;

export const AgentMode = z
  .object({ id: z.string(), name: z.string(), description: z.string().nullable().optional() })
  .meta({ id: 'AgentMode' });
export type AgentMode = z.infer<typeof AgentMode>;

export const AgentCommand = z
  .object({ name: z.string(), description: z.string(), hint: z.string().nullable().optional() })
  .meta({ id: 'AgentCommand' });
export type AgentCommand = z.infer<typeof AgentCommand>;

export const QuestionOption = z
  .object({ value: z.string(), label: z.string(), description: z.string().nullable().optional() })
  .meta({ id: 'QuestionOption' });
export type QuestionOption = z.infer<typeof QuestionOption>;

/** One question of an agent's form (e.g. Claude Code's AskUserQuestion). `id` keys the answer. */
export const QuestionField = z
  .object({
    id: z.string(),
    question: z.string(),
    header: z.string().nullable().optional(),
    options: z.array(QuestionOption),
    multiSelect: z.boolean(),
    /** A free-text answer is accepted (instead of, or besides, an option). */
    allowCustom: z.boolean(),
  })
  .meta({ id: 'QuestionField' });
export type QuestionField = z.infer<typeof QuestionField>;

export const PendingQuestion = z
  .object({
    questionId: z.string(),
    toolCallId: z.string().nullable(),
    message: z.string(),
    questions: z.array(QuestionField),
    askedAt: z.string(),
  })
  .meta({ id: 'PendingQuestion' });
export type PendingQuestion = z.infer<typeof PendingQuestion>;

/**
 * A permission policy rule. Every condition given must match (a rule with none matches every
 * request); the first matching rule of a list decides.
 */
export const PolicyRule = z
  .object({
    name: z.string().min(1).max(100).describe('Recorded as `decidedBy.rule` on each decision'),
    decision: z.enum(['allow', 'deny', 'ask']).describe('`ask` hands the request to a human'),
    toolKind: z.union([ToolKind, z.array(ToolKind)]).optional(),
    titleGlob: z.string().max(500).optional().describe('Glob on the request title; `*` matches anything'),
    pathGlob: z
      .string()
      .max(1000)
      .optional()
      .describe(
        'Glob on the paths the tool touches (absolute, or relative to the workDir); `*` within a segment, `**` across',
      ),
    commandPattern: z
      .string()
      .max(1000)
      .superRefine((p, ctx) => {
        const why = linearRegexProblem(p);
        if (why)
          ctx.addIssue({
            code: 'custom',
            message: `commandPattern ${JSON.stringify(p.slice(0, 80))}: ${why}`,
          });
      })
      .optional()
      .describe(
        'Regular expression (JavaScript syntax) tested against the shell command of an execute tool. Matched in linear time, so backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are refused with 400; repetition counts are at most 1000',
      ),
    scope: z
      .enum(['once', 'always'])
      .optional()
      .describe('For allow/deny: pick the always option when offered'),
  })
  .meta({ id: 'PolicyRule' });
export type PolicyRule = z.infer<typeof PolicyRule>;

export const AgentSession = z
  .object({
    id: z.string().describe("The agent's own session id (ACP sessionId)"),
    resumable: z
      .boolean()
      .describe(
        'Aegis can bring it back in a new agent process (after an eviction or a restart): false only for a session with its own env, which Aegis does not store, once the process that had it is gone',
      ),
  })
  .meta({ id: 'AgentSession' });
export type AgentSession = z.infer<typeof AgentSession>;

/** How a session's agent is confined; see docs/security.md, "Sandboxed sessions". */
export const SessionSandbox = z
  .object({
    network: z
      .enum(['model', 'none'])
      .default('model')
      .describe(
        '`model`: only the model endpoint and `allowedHosts`, through the server’s egress proxy (which adds the model credentials outside the sandbox); `none`: no network at all',
      ),
    allowedHosts: z
      .array(z.string().min(1).max(260))
      .max(100)
      .default([])
      .describe('Hosts besides the model the agent may reach: `host`, `host:port` or `*.domain`'),
    readOnlyPaths: z
      .array(z.string().min(1).max(4096))
      .max(50)
      .default([])
      .describe('Absolute host paths visible read-only inside'),
    writablePaths: z
      .array(z.string().min(1).max(4096))
      .max(50)
      .default([])
      .describe(
        'Absolute host paths visible read-write inside, besides the workDir (within the allowed workDirs)',
      ),
  })
  .meta({ id: 'SessionSandbox' });
export type SessionSandbox = z.infer<typeof SessionSandbox>;

/** What a create request (or a template) asks for; the server's `sandbox.mode` decides with it. */
export const SandboxRequest = z
  .object({
    enabled: z
      .boolean()
      .optional()
      .describe(
        'Run this session sandboxed. Default: true when `sandbox` is given, else the server’s `sandbox.mode` (`on`/`required`: sandboxed). `false` is refused when the server requires sandboxes',
      ),
    network: z.enum(['model', 'none']).optional(),
    allowedHosts: z.array(z.string().min(1).max(260)).max(100).optional(),
    readOnlyPaths: z.array(z.string().min(1).max(4096)).max(50).optional(),
    writablePaths: z.array(z.string().min(1).max(4096)).max(50).optional(),
  })
  .strict()
  .meta({ id: 'SandboxRequest' });
export type SandboxRequest = z.infer<typeof SandboxRequest>;

export const Session = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    title: z.string().nullable(),
    workDir: z.string(),
    status: SessionStatus,
    permissionMode: PermissionMode,
    agent: z.string(),
    model: z.string().nullable(),
    ownerId: z.string().nullable(),
    parentId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastActivityAt: z.string(),
    turns: z.number().int(),
    queuedPrompts: z.number().int(),
    lastSeq: z.number().int(),
    usage: Usage,
    pendingPermission: z.union([PendingPermission, z.null()]),
    pendingPermissionCount: z.number().int(),
    pendingQuestion: z.union([PendingQuestion, z.null()]).default(null),
    policies: z
      .array(PolicyRule)
      .default([])
      .describe(
        "Per-session permission rules. The server's rules are a ceiling: the stricter verdict wins (deny over ask over allow), so a session rule can narrow but never lift a server deny or ask",
      ),
    problem: z.union([SessionProblem, z.null()]),
    exit: z.union([AgentExit, z.null()]),
    availableModes: z.array(AgentMode),
    availableCommands: z.array(AgentCommand),
    agentSession: z
      .union([AgentSession, z.null()])
      .default(null)
      .describe('The agent-side session behind this one; null until the agent is ready'),
    agentResident: z
      .boolean()
      .default(false)
      .describe(
        'Whether an agent process is up for this session. `false` for a dormant session (evicted when idle, or after a restart): the next prompt starts one and resumes the conversation',
      ),
    node: z
      .string()
      .nullable()
      .default(null)
      .describe(
        'The node that owns this session when several Aegis servers share one PostgreSQL database (it runs the agent); `null` on a single server',
      ),
    sandbox: z
      .union([SessionSandbox, z.null()])
      .default(null)
      .describe(
        'How the agent is confined (workDir and a private HOME writable, nothing else of the host visible, network only as given); `null`: not sandboxed',
      ),
    templateId: z.string().nullable().default(null).describe('The template the session was created from'),
    budget: z
      .union([Budget, z.null()])
      .default(null)
      .describe('Spending limits of this session (`null`: none); raise them with PATCH /v1/sessions/{id}'),
    budgetStatus: BudgetStatus.default({ warned: [], exceeded: null }),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

/** What became of a prompt: handed to the agent, or waiting in order behind a running turn. */
export const PromptDelivery = z
  .object({
    delivered: z.boolean().describe('The prompt reached the agent (its turn started)'),
    queued: z.boolean().describe('The prompt waits, in order, behind the running turn or the agent start-up'),
    position: z.number().int().nullable().describe('1 = next in the queue, when queued'),
    attempts: z.number().int(),
  })
  .meta({ id: 'PromptDelivery' });
export type PromptDelivery = z.infer<typeof PromptDelivery>;
