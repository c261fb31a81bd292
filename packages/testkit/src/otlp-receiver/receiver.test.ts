import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './index.js';

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
    ['protobuf', 'x', 'application/x-protobuf', '/v1/traces', 415, /OTLP\/JSON only/],
    ['not OTLP', '{"spans":[]}', 'application/json', '/v1/traces', 400, /no resourceSpans/],
    ['another path', '{}', 'application/json', '/v1/metrics', 404, /no route/],
  ])('refuses %s and records why', async (_, body, type, path, status, reason) => {
    const before = otlp.refused.length;
    expect((await post(body, type, path)).status).toBe(status);
    expect(otlp.refused.slice(before).map((r) => r.reason)).toEqual([expect.stringMatching(reason)]);
  });
});
