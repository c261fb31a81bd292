import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/** The instrumentation scope of the HTTP request spans. */
export const SERVER_TRACER_NAME = '@aegis/server';

const fromHeaders: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => {
    const keys: string[] = [];
    headers.forEach((_, key) => {
      keys.push(key);
    });
    return keys;
  },
};

/** One request's span: run the handlers inside it, then end it once the route and status are known. */
export interface RequestTrace {
  run(handlers: () => Promise<void>): Promise<void>;
  /** Ends the span; returns the trace id for the request's log line. */
  end(route: string, status: number): string | undefined;
}

/**
 * Opens the server span of a request, as a child of the caller's W3C `traceparent` when it sent a
 * valid one (a malformed one is ignored by the propagator: the request starts a new trace).
 */
export function traceRequest(tracer: Tracer, request: Request, requestId: string): RequestTrace {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers, fromHeaders);
  const method = request.method;
  const span = tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': new URL(request.url).pathname,
        'aegis.request_id': requestId,
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return {
    run: (handlers) => context.with(active, handlers),
    end(route, status) {
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const ids = span.spanContext();
      return isSpanContextValid(ids) ? ids.traceId : undefined;
    },
  };
}

/** The trace and span ids of the active span, for log lines written while handling a request. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { traceId: ids.traceId, spanId: ids.spanId } : undefined;
}
