import { z } from 'zod';

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
    problem: z.union([SessionProblem, z.null()]),
    exit: z.union([AgentExit, z.null()]),
    availableModes: z.array(AgentMode),
    availableCommands: z.array(AgentCommand),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;
