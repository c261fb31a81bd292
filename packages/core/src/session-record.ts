import type { EventBody } from './events.js';
import { emptyUsage, type Session } from './schemas.js';

export interface NewSessionInput {
  id: string;
  name: string | null;
  workDir: string;
  agent: string;
  permissionMode: Session['permissionMode'];
  model: string | null;
  ownerId: string | null;
  parentId: string | null;
  now: string;
  /** The node that owns it (cluster); omitted on a single server. */
  node?: string | null | undefined;
  policies?: Session['policies'] | undefined;
  /** Confinement of its agent (see `SessionSandbox`); omitted: not sandboxed. */
  sandbox?: Session['sandbox'] | undefined;
  templateId?: string | null | undefined;
  budget?: Session['budget'] | undefined;
}

export function newSession(input: NewSessionInput): Session {
  return {
    id: input.id,
    name: input.name,
    title: null,
    workDir: input.workDir,
    status: 'pending',
    permissionMode: input.permissionMode,
    agent: input.agent,
    model: input.model,
    ownerId: input.ownerId,
    parentId: input.parentId,
    createdAt: input.now,
    updatedAt: input.now,
    lastActivityAt: input.now,
    turns: 0,
    queuedPrompts: 0,
    lastSeq: 0,
    usage: emptyUsage(),
    pendingPermission: null,
    pendingPermissionCount: 0,
    pendingQuestion: null,
    policies: input.policies ?? [],
    problem: null,
    exit: null,
    availableModes: [],
    availableCommands: [],
    agentSession: null,
    agentResident: false,
    node: input.node ?? null,
    sandbox: input.sandbox ?? null,
    templateId: input.templateId ?? null,
    budget: input.budget ?? null,
    budgetStatus: { warned: [], exceeded: null },
  };
}

/** Folds the descriptive fields an event carries into the session record (status is the reducer's job). */
export function applyToSession(session: Session, event: EventBody, at: string): void {
  session.updatedAt = at;
  switch (event.type) {
    case 'agent.evicted':
      session.agentResident = false;
      break;
    case 'session.adopted':
      session.node = event.data.node;
      break;
    case 'agent.ready':
      session.agentResident = true;
      session.availableModes = event.data.modes;
      if (event.data.currentModel && !session.model) session.model = event.data.currentModel;
      break;
    case 'turn.started':
      session.turns += 1;
      session.problem = null;
      session.lastActivityAt = at;
      break;
    case 'turn.failed':
      session.problem = event.data.problem;
      addTurnUsage(session, event.data);
      break;
    case 'turn.completed':
      addTurnUsage(session, event.data);
      break;
    case 'budget.warning':
      if (event.data.scope === 'session' && !session.budgetStatus.warned.includes(event.data.limit))
        session.budgetStatus.warned.push(event.data.limit);
      break;
    case 'budget.exceeded':
      if (event.data.scope === 'session') session.budgetStatus.exceeded = event.data.limit;
      session.problem = { code: 'BUDGET_EXCEEDED', message: event.data.message, hint: event.data.hint };
      break;
    case 'budget.updated':
      session.budget = event.data.budget;
      session.budgetStatus = { warned: [], exceeded: null };
      if (session.problem?.code === 'BUDGET_EXCEEDED') session.problem = null;
      break;
    case 'permission.requested':
      session.pendingPermission = {
        requestId: event.data.requestId,
        toolCallId: event.data.toolCallId,
        title: event.data.title,
        kind: event.data.kind,
        input: event.data.input,
        content: event.data.content,
        options: event.data.options,
        requestedAt: at,
      };
      break;
    case 'permission.resolved':
      if (session.pendingPermission?.requestId === event.data.requestId) session.pendingPermission = null;
      break;
    case 'question.asked':
      session.pendingQuestion = {
        questionId: event.data.questionId,
        toolCallId: event.data.toolCallId,
        message: event.data.message,
        questions: event.data.questions,
        askedAt: at,
      };
      break;
    case 'question.answered':
      if (session.pendingQuestion?.questionId === event.data.questionId) session.pendingQuestion = null;
      session.lastActivityAt = at;
      break;
    case 'usage.updated': {
      const u = session.usage;
      const d = event.data;
      if (d.contextUsed !== undefined) u.contextUsed = d.contextUsed;
      if (d.contextSize !== undefined) u.contextSize = d.contextSize;
      if (d.costUsd !== undefined && d.costUsd !== null) u.costUsd = d.costUsd;
      u.inputTokens += d.inputTokens ?? 0;
      u.outputTokens += d.outputTokens ?? 0;
      u.cachedReadTokens += d.cachedReadTokens ?? 0;
      u.cachedWriteTokens += d.cachedWriteTokens ?? 0;
      u.totalTokens = u.inputTokens + u.outputTokens + u.cachedReadTokens + u.cachedWriteTokens;
      break;
    }
    case 'commands.updated':
      session.availableCommands = event.data.commands;
      break;
    case 'mode.changed': {
      const mode = event.data.mode;
      if (isPermissionMode(mode)) session.permissionMode = mode;
      break;
    }
    case 'session.info_updated':
      session.title = event.data.title;
      break;
    case 'agent.resumed':
      // A problem of the process before (a crash, a failed start) no longer describes the session.
      session.problem = null;
      break;
    case 'session.ended':
      session.agentResident = false;
      session.exit = event.data.exit;
      session.pendingPermission = null;
      session.pendingPermissionCount = 0;
      session.pendingQuestion = null;
      session.queuedPrompts = 0;
      break;
    case 'message.delta':
    case 'thought.delta':
    case 'tool.started':
    case 'tool.updated':
    case 'tool.completed':
    case 'plan.updated':
      session.lastActivityAt = at;
      break;
    default:
      break;
  }
}

/** A finished turn's time, tool calls and (priced, when the agent reported no cost) cost. */
function addTurnUsage(
  session: Session,
  data: {
    durationMs: number;
    usage?: { costUsd: number | null; costSource: string; toolCalls: number } | undefined;
  },
): void {
  const u = session.usage;
  u.durationMs = (u.durationMs ?? 0) + data.durationMs;
  if (!data.usage) return;
  u.toolCalls = (u.toolCalls ?? 0) + data.usage.toolCalls;
  if (data.usage.costSource === 'price_table' && data.usage.costUsd !== null)
    u.costUsd = (u.costUsd ?? 0) + data.usage.costUsd;
}

const MODES = new Set(['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto']);
function isPermissionMode(mode: string): mode is Session['permissionMode'] {
  return MODES.has(mode);
}
