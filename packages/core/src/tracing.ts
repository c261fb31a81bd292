import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/** The instrumentation scope of the engine's spans. */
export const CORE_TRACER_NAME = '@aegis/core';

/**
 * The tracer the engine records its spans with: from `provider` when an embedding service passes
 * one, else from the global provider — a no-op until an OpenTelemetry SDK registers itself, so
 * tracing costs next to nothing while it is off.
 */
export function coreTracer(provider?: TracerProvider): Tracer {
  return (provider ?? trace.getTracerProvider()).getTracer(CORE_TRACER_NAME);
}

/** Attribute names Aegis puts on its spans (one place, so the spans and the docs agree). */
export const TraceAttr = {
  sessionId: 'aegis.session.id',
  turnId: 'aegis.turn.id',
  agent: 'aegis.agent',
  reused: 'aegis.session.reused',
  stopReason: 'aegis.turn.stop_reason',
  problemCode: 'aegis.problem.code',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  costUsd: 'aegis.usage.cost_usd',
  toolCallId: 'aegis.tool.call_id',
  toolKind: 'aegis.tool.kind',
  toolTitle: 'aegis.tool.title',
  toolStatus: 'aegis.tool.status',
  requestId: 'aegis.wait.request_id',
  outcome: 'aegis.wait.outcome',
  optionKind: 'aegis.permission.option_kind',
  decidedByType: 'aegis.decided_by.type',
  decidedByActor: 'aegis.decided_by.actor',
  decidedByRule: 'aegis.decided_by.rule',
  decidedBySource: 'aegis.decided_by.source',
  waitedMs: 'aegis.wait.waited_ms',
} as const;
