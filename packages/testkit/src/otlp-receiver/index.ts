import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeOtlpProtobuf } from './protobuf.js';

export { decodeOtlpProtobuf };

/** One span as received, decoded from OTLP/protobuf or OTLP/JSON (ids are lowercase hex; `parentSpanId` '' for a root). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  links: { traceId: string; spanId: string }[];
  resource: Record<string, string | number | boolean>;
  scope: string;
}

/** A local OTLP/HTTP trace receiver: `POST /v1/traces` with `application/x-protobuf` or `application/json` export requests. */
export interface OtlpReceiver {
  /** Base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); the traces endpoint is `${url}/v1/traces`. */
  url: string;
  /** Every span received so far, in arrival order. */
  readonly spans: ReceivedSpan[];
  /** Export requests received (any path, any content type). */
  readonly requests: number;
  /** Export requests decoded, by encoding. */
  readonly encodings: { protobuf: number; json: number };
  /** Requests refused (a path other than /v1/traces, another content type, a body that is not OTLP). */
  readonly refused: { path: string; contentType: string; reason: string }[];
  /** Resolves once `ok(spans)` holds (checked on each export), or rejects after `timeoutMs`. */
  waitFor(ok: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };

function anyValue(v: AnyValue | undefined): string | number | boolean {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.arrayValue) return JSON.stringify((v.arrayValue.values ?? []).map(anyValue));
  return '';
}

const attrs = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));

/** OTLP/JSON ids are hex; some encoders send base64 (the protobuf JSON mapping): both are read. */
function hexId(id: unknown, bytes: number): string {
  if (typeof id !== 'string' || id === '') return '';
  if (new RegExp(`^[0-9a-f]{${bytes * 2}}$`, 'i').test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

/**
 * Decodes one OTLP/JSON `ExportTraceServiceRequest` into flat spans; throws on a body that is not one.
 */
export function decodeOtlpJson(body: unknown): ReceivedSpan[] {
  const resourceSpans = (body as { resourceSpans?: unknown }).resourceSpans;
  if (!Array.isArray(resourceSpans))
    throw new Error('not an OTLP ExportTraceServiceRequest: no resourceSpans');
  const out: ReceivedSpan[] = [];
  for (const rs of resourceSpans) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hexId(s.traceId, 16),
          spanId: hexId(s.spanId, 8),
          parentSpanId: hexId(s.parentSpanId, 8),
          name: s.name,
          kind: Number(s.kind ?? 0),
          startNs: BigInt(s.startTimeUnixNano ?? 0),
          endNs: BigInt(s.endTimeUnixNano ?? 0),
          attributes: attrs(s.attributes),
          status: {
            code: Number(s.status?.code ?? 0),
            ...(s.status?.message ? { message: s.status.message } : {}),
          },
          links: (s.links ?? []).map((l: { traceId: unknown; spanId: unknown }) => ({
            traceId: hexId(l.traceId, 16),
            spanId: hexId(l.spanId, 8),
          })),
          resource,
          scope: ss.scope?.name ?? '',
        });
      }
    }
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/**
 * Starts a real OTLP/HTTP receiver on 127.0.0.1 (port 0) that decodes trace exports in both OTLP/HTTP
 * encodings: binary protobuf (`@opentelemetry/exporter-trace-otlp-proto`) and JSON
 * (`@opentelemetry/exporter-trace-otlp-http`).
 *
 * @example
 * const otlp = await startOtlpReceiver();
 * // OTEL_EXPORTER_OTLP_ENDPOINT=otlp.url
 * const spans = await otlp.waitFor((s) => s.some((x) => x.name === 'aegis.turn'));
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const refused: OtlpReceiver['refused'] = [];
  const waiters = new Set<() => void>();
  let requests = 0;
  const encodings = { protobuf: 0, json: 0 };
  const refuse = (res: ServerResponse, status: number, path: string, contentType: string, reason: string) => {
    refused.push({ path, contentType, reason });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 3, message: reason }));
  };
  const server = createServer(async (req, res) => {
    requests += 1;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const contentType = req.headers['content-type'] ?? '';
    const body = await readBody(req);
    if (req.method !== 'POST' || path !== '/v1/traces')
      return refuse(res, 404, path, contentType, `no route ${req.method} ${path}`);
    const protobuf = /^application\/(x-)?protobuf\b/i.test(contentType);
    if (!protobuf && !/^application\/json\b/i.test(contentType))
      return refuse(
        res,
        415,
        path,
        contentType,
        'OTLP/HTTP carries application/x-protobuf or application/json',
      );
    try {
      spans.push(
        ...(protobuf ? decodeOtlpProtobuf(body) : decodeOtlpJson(JSON.parse(body.toString('utf8')))),
      );
    } catch (err) {
      return refuse(res, 400, path, contentType, (err as Error).message);
    }
    encodings[protobuf ? 'protobuf' : 'json'] += 1;
    // An empty ExportTraceServiceResponse, in the request's encoding.
    res.writeHead(200, { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' });
    res.end(protobuf ? '' : '{}');
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    get requests() {
      return requests;
    },
    encodings,
    refused,
    waitFor(ok, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!ok(spans)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(spans);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`OTLP receiver: condition not met after ${timeoutMs} ms (${spans.length} spans)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
