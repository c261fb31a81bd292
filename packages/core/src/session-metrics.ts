import { z } from 'zod';
import type { AegisEvent } from './events.js';
import { type Session, SessionStatus, Usage } from './schemas.js';

/** Distribution of a set of durations in milliseconds. */
export const LatencyStats = z
  .object({
    count: z.number().int(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number().nullable(),
  })
  .meta({ id: 'LatencyStats' });
export type LatencyStats = z.infer<typeof LatencyStats>;

export const SessionSummary = z
  .object({
    sessionId: z.string(),
    status: SessionStatus,
    title: z.string().nullable(),
    turns: z.object({
      total: z.number().int(),
      completed: z.number().int(),
      failed: z.number().int(),
      cancelled: z.number().int(),
    }),
    toolCalls: z.object({
      total: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      byKind: z.record(z.string(), z.number().int()),
    }),
    filesTouched: z.array(z.string()).describe('Paths from tool diffs and locations, in first-touched order'),
    permissions: z.object({
      requested: z.number().int(),
      approved: z.number().int(),
      rejected: z.number().int(),
      cancelled: z.number().int(),
      byDecider: z.object({ human: z.number().int(), policy: z.number().int(), system: z.number().int() }),
      byRule: z.record(z.string(), z.number().int()).describe('Policy decisions per rule name'),
    }),
    questions: z.object({ asked: z.number().int(), answered: z.number().int(), dismissed: z.number().int() }),
    lastAssistantMessage: z.string().nullable(),
    usage: Usage,
  })
  .meta({ id: 'SessionSummary' });
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionMetrics = z
  .object({
    sessionId: z.string(),
    events: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
    tokens: z.object({
      input: z.number(),
      output: z.number(),
      cachedRead: z.number(),
      cachedWrite: z.number(),
      total: z.number(),
      contextUsed: z.number().nullable(),
      contextSize: z.number().nullable(),
    }),
    costUsd: z.number().nullable(),
    turnDurationsMs: z.array(z.number()).describe('One per finished turn, oldest first'),
    messages: z.number().int(),
    toolCalls: z.number().int(),
  })
  .meta({ id: 'SessionMetrics' });
export type SessionMetrics = z.infer<typeof SessionMetrics>;

export const SessionLatency = z
  .object({
    sessionId: z.string(),
    turnDurationMs: LatencyStats,
    timeToFirstTokenMs: LatencyStats.describe('From turn start to the first message or thought chunk'),
    permissionWaitMs: LatencyStats,
    questionWaitMs: LatencyStats,
    queuedMs: LatencyStats.describe('How long prompts waited behind running turns'),
  })
  .meta({ id: 'SessionLatency' });
export type SessionLatency = z.infer<typeof SessionLatency>;

/** Nearest-rank percentile summary; nulls when there is no sample. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, max: null, mean: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    max: sorted.at(-1)!,
    mean: Math.round((sum / sorted.length) * 10) / 10,
  };
}

const inc = (rec: Record<string, number>, key: string) => {
  rec[key] = (rec[key] ?? 0) + 1;
};

/** What happened in a session, from its durable events (oldest first). */
export function summarizeSession(session: Session, events: readonly AegisEvent[]): SessionSummary {
  const out: SessionSummary = {
    sessionId: session.id,
    status: session.status,
    title: session.title,
    turns: { total: 0, completed: 0, failed: 0, cancelled: 0 },
    toolCalls: { total: 0, byStatus: {}, byKind: {} },
    filesTouched: [],
    permissions: {
      requested: 0,
      approved: 0,
      rejected: 0,
      cancelled: 0,
      byDecider: { human: 0, policy: 0, system: 0 },
      byRule: {},
    },
    questions: { asked: 0, answered: 0, dismissed: 0 },
    lastAssistantMessage: null,
    usage: session.usage,
  };
  const files = new Set<string>();
  const tools = new Map<string, { kind: string; status: string }>();
  for (const e of events) {
    switch (e.type) {
      case 'turn.started':
        out.turns.total += 1;
        break;
      case 'turn.completed':
        if (e.data.stopReason === 'cancelled') out.turns.cancelled += 1;
        else out.turns.completed += 1;
        break;
      case 'turn.failed':
        out.turns.failed += 1;
        break;
      case 'tool.started':
      case 'tool.updated':
      case 'tool.completed': {
        const prev = tools.get(e.data.toolCallId);
        tools.set(e.data.toolCallId, {
          kind: e.data.kind ?? prev?.kind ?? 'other',
          status: e.data.status ?? prev?.status ?? 'pending',
        });
        for (const c of e.data.content ?? []) if (c.type === 'diff') files.add(c.path);
        for (const l of e.data.locations ?? []) files.add(l.path);
        break;
      }
      case 'permission.requested':
        out.permissions.requested += 1;
        break;
      case 'permission.resolved': {
        const d = e.data;
        if (d.outcome === 'cancelled') out.permissions.cancelled += 1;
        else if (d.optionKind?.startsWith('allow')) out.permissions.approved += 1;
        else out.permissions.rejected += 1;
        out.permissions.byDecider[d.decidedBy.type] += 1;
        if (d.decidedBy.type === 'policy' && d.decidedBy.rule) inc(out.permissions.byRule, d.decidedBy.rule);
        break;
      }
      case 'question.asked':
        out.questions.asked += 1;
        break;
      case 'question.answered':
        if (e.data.outcome === 'answered') out.questions.answered += 1;
        else out.questions.dismissed += 1;
        break;
      case 'message.completed':
        out.lastAssistantMessage = e.data.text;
        break;
      default:
        break;
    }
  }
  for (const t of tools.values()) {
    out.toolCalls.total += 1;
    inc(out.toolCalls.byStatus, t.status);
    inc(out.toolCalls.byKind, t.kind);
  }
  out.filesTouched = [...files];
  return out;
}

/** Counts, tokens, cost and turn durations of a session, from its durable events. */
export function sessionMetrics(session: Session, events: readonly AegisEvent[]): SessionMetrics {
  const byType: Record<string, number> = {};
  const turnDurationsMs: number[] = [];
  const toolIds = new Set<string>();
  let messages = 0;
  for (const e of events) {
    inc(byType, e.type);
    if (e.type === 'turn.completed' || e.type === 'turn.failed') turnDurationsMs.push(e.data.durationMs);
    else if (e.type === 'message.completed') messages += 1;
    else if (e.type === 'tool.started') toolIds.add(e.data.toolCallId);
  }
  const u = session.usage;
  return {
    sessionId: session.id,
    events: { total: events.length, byType },
    tokens: {
      input: u.inputTokens,
      output: u.outputTokens,
      cachedRead: u.cachedReadTokens,
      cachedWrite: u.cachedWriteTokens,
      total: u.totalTokens,
      contextUsed: u.contextUsed,
      contextSize: u.contextSize,
    },
    costUsd: u.costUsd,
    turnDurationsMs,
    messages,
    toolCalls: toolIds.size,
  };
}

/** Latency distributions of a session: turns, time to first token, permission and question waits. */
export function sessionLatency(session: Session, events: readonly AegisEvent[]): SessionLatency {
  const turns: number[] = [];
  const firstToken: number[] = [];
  const permissionWaits: number[] = [];
  const questionWaits: number[] = [];
  const queued: number[] = [];
  let turnStart: number | null = null;
  let sawToken = false;
  for (const e of events) {
    switch (e.type) {
      case 'turn.started':
        turnStart = Date.parse(e.at);
        sawToken = false;
        queued.push(e.data.queuedMs);
        break;
      case 'message.delta':
      case 'thought.delta':
        if (turnStart !== null && !sawToken) {
          sawToken = true;
          firstToken.push(Math.max(0, Date.parse(e.at) - turnStart));
        }
        break;
      case 'turn.completed':
      case 'turn.failed':
        turns.push(e.data.durationMs);
        turnStart = null;
        break;
      case 'permission.resolved':
        permissionWaits.push(e.data.waitedMs);
        break;
      case 'question.answered':
        questionWaits.push(e.data.waitedMs);
        break;
      default:
        break;
    }
  }
  return {
    sessionId: session.id,
    turnDurationMs: latencyStats(turns),
    timeToFirstTokenMs: latencyStats(firstToken),
    permissionWaitMs: latencyStats(permissionWaits),
    questionWaitMs: latencyStats(questionWaits),
    queuedMs: latencyStats(queued),
  };
}
