import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, type OtlpReceiver, startOtlpReceiver } from './index.js';

let otlp: OtlpReceiver;
beforeAll(async () => {
  otlp = await startOtlpReceiver();
});
afterAll(() => otlp.close());

const post = (body: string, contentType = 'application/json', path = '/v1/traces') =>
  fetch(`${otlp.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('the OTLP/HTTP receiver', () => {
  it('decodes an OTLP/JSON export: hex and base64 ids, typed attributes, links, resource', async () => {
    const res = await post(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [
              {
                scope: { name: 'scope-a' },
                spans: [
                  {
                    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                    spanId: Buffer.from('00f067aa0ba902b7', 'hex').toString('base64'),
                    name: 'work',
                    kind: 2,
                    startTimeUnixNano: '1000',
                    endTimeUnixNano: '2000',
                    attributes: [
                      { key: 'n', value: { intValue: '42' } },
                      { key: 'ok', value: { boolValue: true } },
                    ],
                    links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }],
                    status: { code: 2, message: 'bad' },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(otlp.spans.at(-1)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      parentSpanId: '',
      name: 'work',
      kind: 2,
      startNs: 1000n,
      endNs: 2000n,
      attributes: { n: 42, ok: true },
      links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }],
      status: { code: 2, message: 'bad' },
      resource: { 'service.name': 'svc' },
      scope: 'scope-a',
    });
  });

  it.each([
    ['protobuf', ProtobufExporter],
    ['JSON', JsonExporter],
  ])(
    'decodes what the real OTLP/HTTP %s exporter sends: ids, parent, kind, times, typed attributes, status, links',
    async (encoding, Exporter) => {
      const before = otlp.spans.length;
      const exporter = new Exporter({ url: `${otlp.url}/v1/traces` });
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'receiver-test' }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const tracer = provider.getTracer('scope-b');
      const linked = tracer.startSpan('linked', {}, ROOT_CONTEXT);
      linked.end();
      const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
      const child = tracer.startSpan(
        'child ✓',
        {
          kind: SpanKind.CLIENT,
          attributes: { s: 'text', i: 7, neg: -3, d: 1.5, b: false, list: ['a', 'b'] },
          links: [{ context: linked.spanContext() }],
          startTime: [1_700_000_000, 5],
        },
        trace.setSpan(ROOT_CONTEXT, parent),
      );
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'went wrong' });
      child.end([1_700_000_001, 7]);
      parent.end();
      await provider.forceFlush();
      await provider.shutdown();
      const got = otlp.spans.slice(before);
      expect(got.map((s) => s.name).sort()).toEqual(['child ✓', 'linked', 'parent']);
      const p = got.find((s) => s.name === 'parent')!;
      const c = got.find((s) => s.name === 'child ✓')!;
      expect(p).toMatchObject({ kind: 2, parentSpanId: '', resource: { 'service.name': 'receiver-test' } });
      expect(c).toEqual({
        traceId: parent.spanContext().traceId,
        spanId: child.spanContext().spanId,
        parentSpanId: parent.spanContext().spanId,
        name: 'child ✓',
        kind: 3,
        startNs: 1_700_000_000_000_000_005n,
        endNs: 1_700_000_001_000_000_007n,
        attributes: { s: 'text', i: 7, neg: -3, d: 1.5, b: false, list: '["a","b"]' },
        status: { code: 2, message: 'went wrong' },
        links: [{ traceId: linked.spanContext().traceId, spanId: linked.spanContext().spanId }],
        resource: expect.objectContaining({ 'service.name': 'receiver-test' }),
        scope: 'scope-b',
      });
      expect(otlp.encodings[encoding === 'JSON' ? 'json' : 'protobuf']).toBeGreaterThan(0);
    },
  );

  it('refuses a protobuf body that is not an export request', () => {
    // Field 1 says 200 bytes follow; 3 do.
    expect(() => decodeOtlpProtobuf(Buffer.from([0x0a, 0xc8, 0x01, 1, 2, 3]))).toThrow(/truncated field 1/);
    expect(() => decodeOtlpProtobuf(Buffer.from([0x0b]))).toThrow(/unsupported wire type 3/);
  });

  it.each([
    ['protobuf that is not OTLP', '\x0b', 'application/x-protobuf', '/v1/traces', 400, /wire type/],
    ['another content type', 'x', 'text/plain', '/v1/traces', 415, /x-protobuf or application\/json/],
    ['not OTLP', '{"spans":[]}', 'application/json', '/v1/traces', 400, /no resourceSpans/],
    ['another path', '{}', 'application/json', '/v1/metrics', 404, /no route/],
  ])('refuses %s and records why', async (_, body, type, path, status, reason) => {
    const before = otlp.refused.length;
    expect((await post(body, type, path)).status).toBe(status);
    expect(otlp.refused.slice(before).map((r) => r.reason)).toEqual([expect.stringMatching(reason)]);
  });
});
