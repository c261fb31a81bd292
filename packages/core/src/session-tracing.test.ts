// The engine's spans reach a tracer provider an embedding service passes (no SDK: core depends on
// the API only). The provider below records spans through the API's own interfaces.
import {
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createAegis } from './engine.js';
import { createMemoryStore } from './memory-store.js';
import { createMemoryDriver } from './testing/memory-driver.js';

interface Recorded {
  name: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  ended: boolean;
}

function recordingProvider(): TracerProvider & { spans: Recorded[] } {
  const spans: Recorded[] = [];
  let next = 1;
  const tracer: Tracer = {
    startSpan(name: string, options: SpanOptions = {}, ctx?: Context): Span {
      const parent = ctx ? trace.getSpanContext(ctx) : undefined;
      const ids: SpanContext = {
        traceId: parent?.traceId ?? '1'.repeat(32),
        spanId: (next++).toString(16).padStart(16, '0'),
        traceFlags: TraceFlags.SAMPLED,
      };
      const rec: Recorded = {
        name,
        spanId: ids.spanId,
        parentSpanId: parent?.spanId,
        attributes: { ...options.attributes },
        ended: false,
      };
      spans.push(rec);
      const span: Span = {
        spanContext: () => ids,
        setAttribute: (k, v) => {
          rec.attributes[k] = v;
          return span;
        },
        setAttributes: (a) => {
          Object.assign(rec.attributes, a);
          return span;
        },
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: () => span,
        updateName: (n) => {
          rec.name = n;
          return span;
        },
        end: () => {
          rec.ended = true;
        },
        isRecording: () => true,
        recordException: () => {},
      };
      return span;
    },
    startActiveSpan(name: string, ...rest: unknown[]) {
      const fn = rest.pop() as (span: Span) => unknown;
      const [options, ctx] = rest as [SpanOptions | undefined, Context | undefined];
      return fn(tracer.startSpan(name, options, ctx));
    },
  } as Tracer;
  return { spans, getTracer: () => tracer };
}

async function until(check: () => boolean | Promise<boolean>, ms = 2000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('tracing an embedded engine', () => {
  it("records the turn, its tool and the permission wait (with who answered) on the caller's provider", async () => {
    const provider = recordingProvider();
    const { driver } = createMemoryDriver(() => [
      { update: { type: 'tool.started', data: { toolCallId: 't1', title: 'Write', kind: 'edit' } } },
      { permission: { title: 'Write a.txt' } },
      { update: { type: 'tool.completed', data: { toolCallId: 't1', status: 'completed' } } },
    ]);
    const aegis = createAegis({ agent: driver, store: createMemoryStore(), tracerProvider: provider });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'permission_prompt');
    await aegis.sessions.respondPermission(session.id, { approve: true }, { id: 'key-7', admin: true });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    await aegis.close();

    const byName = (n: string) => provider.spans.filter((s) => s.name === n);
    const [create] = byName('aegis.session.create');
    const [turn] = byName('aegis.turn');
    const [wait] = byName('aegis.permission.wait');
    expect(create?.attributes['aegis.session.id']).toBe(session.id);
    // No context manager here: the turn is a root span; tool and wait are parented explicitly.
    expect(turn?.attributes).toMatchObject({
      'aegis.session.id': session.id,
      'aegis.turn.stop_reason': 'end_turn',
    });
    const tools = byName('aegis.tool');
    expect(tools.map((t) => t.parentSpanId)).toEqual([turn?.spanId]);
    expect(wait?.attributes).toMatchObject({
      'aegis.decided_by.type': 'human',
      'aegis.decided_by.actor': 'key-7',
      'aegis.wait.outcome': 'selected',
      'aegis.permission.option_kind': 'allow_once',
    });
    expect(provider.spans.every((s) => s.ended)).toBe(true);
  });

  it('ends an unfinished tool span and marks the turn failed when the turn fails', async () => {
    const provider = recordingProvider();
    const { driver } = createMemoryDriver(() => [
      { update: { type: 'tool.started', data: { toolCallId: 't1', title: 'Bash', kind: 'execute' } } },
      { crash: 3 },
    ]);
    const aegis = createAegis({ agent: driver, store: createMemoryStore(), tracerProvider: provider });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'crashed');
    await aegis.close();
    const turn = provider.spans.find((s) => s.name === 'aegis.turn');
    expect(turn?.ended).toBe(true);
    expect(turn?.attributes['aegis.problem.code']).toBeDefined();
    expect(provider.spans.find((s) => s.name === 'aegis.tool')?.ended).toBe(true);
  });
});
