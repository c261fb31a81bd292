import { type Context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Decider, EventBody } from './events.js';
import { TraceAttr } from './tracing.js';

/**
 * One session's spans: each turn (parented by the context its prompt was sent in, so a caller's
 * `traceparent` reaches it), and inside it each tool call and each wait on a person. Spans are
 * opened and closed from the session's recorded events, so every way a turn ends (completed,
 * failed, timed out, stopped by a budget, cut off by a shutdown) ends its span too.
 */
export class SessionTracing {
  readonly #tracer: Tracer;
  readonly #sessionId: string;
  #turn: { id: string; span: Span; ctx: Context } | null = null;
  readonly #tools = new Map<string, { span: Span; ctx: Context }>();
  readonly #waits = new Map<string, Span>();

  constructor(tracer: Tracer, sessionId: string) {
    this.#tracer = tracer;
    this.#sessionId = sessionId;
  }

  /** Opens the span of a turn as a child of `parent`; returns the context to run the turn in. */
  beginTurn(turnId: string, parent: Context): Context {
    this.#endTurn(null);
    const span = this.#tracer.startSpan(
      'aegis.turn',
      { attributes: { [TraceAttr.sessionId]: this.#sessionId, [TraceAttr.turnId]: turnId } },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    this.#turn = { id: turnId, span, ctx };
    return ctx;
  }

  /** Follows one recorded event: opens or closes the tool, wait and turn spans it concerns. */
  observe(body: EventBody): void {
    const turn = this.#turn;
    if (!turn) return;
    switch (body.type) {
      case 'tool.started': {
        if (this.#tools.has(body.data.toolCallId)) return;
        const span = this.#tracer.startSpan(
          'aegis.tool',
          {
            attributes: {
              [TraceAttr.sessionId]: this.#sessionId,
              [TraceAttr.toolCallId]: body.data.toolCallId,
              ...(body.data.kind ? { [TraceAttr.toolKind]: body.data.kind } : {}),
            },
          },
          turn.ctx,
        );
        this.#tools.set(body.data.toolCallId, { span, ctx: trace.setSpan(turn.ctx, span) });
        return;
      }
      case 'tool.updated': {
        const tool = this.#tools.get(body.data.toolCallId);
        if (tool && body.data.title) tool.span.setAttribute(TraceAttr.toolTitle, body.data.title);
        if (tool && body.data.kind) tool.span.setAttribute(TraceAttr.toolKind, body.data.kind);
        return;
      }
      case 'tool.completed': {
        const tool = this.#tools.get(body.data.toolCallId);
        if (!tool) return;
        this.#tools.delete(body.data.toolCallId);
        if (body.data.title) tool.span.setAttribute(TraceAttr.toolTitle, body.data.title);
        tool.span.setAttribute(TraceAttr.toolStatus, body.data.status);
        if (body.data.status === 'failed') tool.span.setStatus({ code: SpanStatusCode.ERROR });
        tool.span.end();
        return;
      }
      case 'permission.requested':
        this.#openWait('aegis.permission.wait', body.data.requestId, body.data.toolCallId);
        return;
      case 'question.asked':
        this.#openWait('aegis.question.wait', body.data.questionId, body.data.toolCallId);
        return;
      case 'permission.resolved':
        this.#closeWait(body.data.requestId, body.data.outcome, body.data.decidedBy, body.data.waitedMs, {
          ...(body.data.optionKind ? { [TraceAttr.optionKind]: body.data.optionKind } : {}),
        });
        return;
      case 'question.answered':
        this.#closeWait(body.data.questionId, body.data.outcome, body.data.decidedBy, body.data.waitedMs, {});
        return;
      case 'turn.completed':
        if (body.data.turnId !== turn.id) return;
        turn.span.setAttribute(TraceAttr.stopReason, body.data.stopReason);
        this.#usage(turn.span, body.data.usage);
        this.#endTurn(null);
        return;
      case 'turn.failed':
        if (body.data.turnId !== turn.id) return;
        this.#usage(turn.span, body.data.usage);
        this.#endTurn(body.data.problem);
        return;
      case 'session.ended':
        this.#endTurn({ code: 'SESSION_ENDED', message: body.data.reason });
        return;
      default:
        return;
    }
  }

  #openWait(name: string, id: string, toolCallId: string | null): void {
    const turn = this.#turn;
    if (!turn || this.#waits.has(id)) return;
    const parent = (toolCallId ? this.#tools.get(toolCallId)?.ctx : undefined) ?? turn.ctx;
    const span = this.#tracer.startSpan(
      name,
      {
        attributes: {
          [TraceAttr.sessionId]: this.#sessionId,
          [TraceAttr.requestId]: id,
          ...(toolCallId ? { [TraceAttr.toolCallId]: toolCallId } : {}),
        },
      },
      parent,
    );
    this.#waits.set(id, span);
  }

  #closeWait(
    id: string,
    outcome: string,
    decidedBy: Decider,
    waitedMs: number,
    extra: Record<string, string>,
  ): void {
    const span = this.#waits.get(id);
    if (!span) return;
    this.#waits.delete(id);
    span.setAttributes({
      ...extra,
      [TraceAttr.outcome]: outcome,
      [TraceAttr.decidedByType]: decidedBy.type,
      [TraceAttr.waitedMs]: waitedMs,
      ...(decidedBy.actor ? { [TraceAttr.decidedByActor]: decidedBy.actor } : {}),
      ...(decidedBy.rule ? { [TraceAttr.decidedByRule]: decidedBy.rule } : {}),
      ...(decidedBy.source ? { [TraceAttr.decidedBySource]: decidedBy.source } : {}),
    });
    span.end();
  }

  #usage(
    span: Span,
    usage: { inputTokens?: number; outputTokens?: number; costUsd?: number | null } | undefined,
  ): void {
    if (!usage) return;
    if (usage.inputTokens !== undefined) span.setAttribute(TraceAttr.inputTokens, usage.inputTokens);
    if (usage.outputTokens !== undefined) span.setAttribute(TraceAttr.outputTokens, usage.outputTokens);
    if (typeof usage.costUsd === 'number') span.setAttribute(TraceAttr.costUsd, usage.costUsd);
  }

  /** Ends the running turn's span and whatever is still open inside it (`problem`: it failed). */
  #endTurn(problem: { code: string; message: string } | null): void {
    const turn = this.#turn;
    if (!turn) return;
    this.#turn = null;
    for (const span of this.#waits.values()) span.end();
    this.#waits.clear();
    for (const tool of this.#tools.values()) tool.span.end();
    this.#tools.clear();
    if (problem) {
      turn.span.setAttribute(TraceAttr.problemCode, problem.code);
      turn.span.setStatus({ code: SpanStatusCode.ERROR, message: problem.message });
    }
    turn.span.end();
  }
}
