// Which commit attempts of the write batcher become `aegis.store.write_batch` spans: a streaming
// turn's many fast commits must not each be a trace, yet every span that wrote is linked once, and
// slow or failed attempts are always there.
import {
  type Context,
  type ContextManager,
  context,
  type HrTime,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteBatcher } from './write-batcher.js';

interface Recorded {
  name: string;
  links: Link[];
  attributes: Record<string, unknown>;
  start: HrTime;
  end?: HrTime;
  status?: SpanStatusCode;
}

/** A synchronous context stack: enough for pushes made inside `context.with`. */
class StackContextManager implements ContextManager {
  #stack: Context[] = [];
  active = () => this.#stack.at(-1) ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.#stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind = <T>(_ctx: Context, target: T) => target;
  enable = () => this;
  disable = () => {
    this.#stack = [];
    return this;
  };
}

function recordingTracer(): Tracer & { spans: Recorded[] } {
  const spans: Recorded[] = [];
  const tracer = {
    spans,
    startSpan(name: string, options: SpanOptions = {}): Span {
      const rec: Recorded = {
        name,
        links: options.links ?? [],
        attributes: { ...options.attributes },
        start: options.startTime as HrTime,
      };
      spans.push(rec);
      const span = {
        setStatus: (s: { code: SpanStatusCode }) => {
          rec.status = s.code;
          return span;
        },
        end: (at?: HrTime) => {
          rec.end = at;
        },
      };
      return span as unknown as Span;
    },
  };
  return tracer as unknown as Tracer & { spans: Recorded[] };
}

/** A context whose active span is `spanId` (a remote parent is enough for `getSpanContext`). */
const inSpan = (spanId: string) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId, traceFlags: TraceFlags.SAMPLED });

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
};
const nanos = ([s, ns]: HrTime) => s * 1e9 + ns;

describe('write batch spans', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new StackContextManager());
  });
  afterAll(() => {
    context.disable();
  });

  it('records the first batch carrying a span’s writes, not the span’s later fast batches', async () => {
    const tracer = recordingTracer();
    const batcher = createWriteBatcher<number, number>(
      (items) => items.map((value) => ({ ok: true, value })),
      (e) => e,
      undefined,
      undefined,
      { tracer, system: 'sqlite', slowMs: 1000 },
    );
    const turn = inSpan('1'.repeat(16));
    // A streaming turn: ten commits, one after another, all written inside the same span.
    for (let i = 0; i < 10; i++) await context.with(turn, () => batcher.push(i));
    expect(tracer.spans).toHaveLength(1);
    expect(tracer.spans[0]?.links.map((l) => l.context.spanId)).toEqual(['1'.repeat(16)]);
    // A write from another span (a request, say) gets its batch a span, linking both writers.
    await Promise.all([
      context.with(turn, () => batcher.push(10)),
      context.with(inSpan('2'.repeat(16)), () => batcher.push(11)),
    ]);
    expect(tracer.spans).toHaveLength(2);
    expect(tracer.spans[1]?.links.map((l) => l.context.spanId)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
    expect(tracer.spans[1]?.attributes).toMatchObject({
      'db.system': 'sqlite',
      'aegis.store.batch_items': 2,
      'aegis.store.attempt': 1,
    });
    // Writes made outside any span link nothing and are not traced when fast.
    await batcher.push(12);
    expect(tracer.spans).toHaveLength(2);
  });

  it('always records a slow commit, with the commit’s own start and end', async () => {
    const tracer = recordingTracer();
    const batcher = createWriteBatcher<number, number>(
      (items) => {
        busy(items[0] === 2 ? 8 : 0);
        return items.map((value) => ({ ok: true, value }));
      },
      (e) => e,
      undefined,
      undefined,
      { tracer, system: 'postgresql', slowMs: 5 },
    );
    await batcher.push(1);
    const before = performance.timeOrigin + performance.now();
    await batcher.push(2);
    const after = performance.timeOrigin + performance.now();
    expect(tracer.spans).toHaveLength(1);
    const span = tracer.spans[0] as Recorded;
    expect(span.links).toEqual([]);
    const start = nanos(span.start) / 1e6;
    const end = nanos(span.end as HrTime) / 1e6;
    expect(end - start).toBeGreaterThanOrEqual(8);
    expect(start).toBeGreaterThanOrEqual(before - 1);
    expect(end).toBeLessThanOrEqual(after + 1);
  });

  it('always records a failed attempt and its retries, with error status', async () => {
    const tracer = recordingTracer();
    let failures = 1;
    const batcher = createWriteBatcher<number, number>(
      (items) => {
        if (failures-- > 0) throw new Error('SQLITE_FULL');
        return items.map((value) => ({ ok: true, value }));
      },
      (e) => e,
      undefined,
      undefined,
      { tracer, system: 'sqlite', slowMs: 1000 },
    );
    expect(await batcher.push(1, { hold: true })).toBe(1);
    expect(tracer.spans.map((s) => [s.attributes['aegis.store.attempt'], s.status])).toEqual([
      [1, SpanStatusCode.ERROR],
      [2, undefined],
    ]);
  });
});
