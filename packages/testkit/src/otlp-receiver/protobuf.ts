/*
 * OTLP/protobuf (`application/x-protobuf`) trace export requests, decoded from the wire format by
 * hand: the receiver reads what a collector reads, without a protobuf library. Field numbers are
 * those of opentelemetry/proto (collector/trace/v1, trace/v1, common/v1, resource/v1).
 */
import type { ReceivedSpan } from './index.js';

type Scalar = string | number | boolean;

/** One protobuf message: each field number's values in order, as raw wire values. */
type Fields = Map<number, (bigint | Buffer)[]>;

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

function readVarint(buf: Buffer, at: { pos: number }): bigint {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (at.pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[at.pos++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return value;
  }
  throw new Error('varint longer than 10 bytes');
}

/** Splits one message into its fields; throws on a wire type OTLP does not use or a truncated body. */
function fieldsOf(buf: Buffer): Fields {
  const out: Fields = new Map();
  const at = { pos: 0 };
  while (at.pos < buf.length) {
    const tag = readVarint(buf, at);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let value: bigint | Buffer;
    if (wire === WIRE_VARINT) value = readVarint(buf, at);
    else if (wire === WIRE_I64 || wire === WIRE_I32) {
      const size = wire === WIRE_I64 ? 8 : 4;
      if (at.pos + size > buf.length) throw new Error('truncated fixed-width field');
      value = Buffer.from(buf.subarray(at.pos, at.pos + size));
      at.pos += size;
    } else if (wire === WIRE_LEN) {
      const size = Number(readVarint(buf, at));
      if (at.pos + size > buf.length) throw new Error(`truncated field ${field}`);
      value = buf.subarray(at.pos, at.pos + size);
      at.pos += size;
    } else throw new Error(`unsupported wire type ${wire} (field ${field})`);
    if (field === 0) throw new Error('field number 0');
    const list = out.get(field);
    if (list) list.push(value);
    else out.set(field, [value]);
  }
  return out;
}

const bytesOf = (f: Fields, n: number): Buffer[] => (f.get(n) ?? []).filter((v) => Buffer.isBuffer(v));
const messages = (f: Fields, n: number): Fields[] => bytesOf(f, n).map(fieldsOf);
const message = (f: Fields, n: number): Fields | undefined => messages(f, n).at(-1);
const text = (f: Fields, n: number): string => bytesOf(f, n).at(-1)?.toString('utf8') ?? '';
const hex = (f: Fields, n: number): string => bytesOf(f, n).at(-1)?.toString('hex') ?? '';
const varint = (f: Fields, n: number): bigint => {
  const v = f.get(n)?.at(-1);
  return typeof v === 'bigint' ? v : 0n;
};
const fixed64 = (f: Fields, n: number): bigint => {
  const v = f.get(n)?.at(-1);
  return Buffer.isBuffer(v) && v.length === 8 ? v.readBigUInt64LE(0) : 0n;
};

/** AnyValue: string 1, bool 2, int64 3, double 4, array 5, kvlist 6, bytes 7. */
function anyValue(f: Fields | undefined): Scalar {
  if (!f) return '';
  if (f.has(1)) return text(f, 1);
  if (f.has(2)) return varint(f, 2) !== 0n;
  if (f.has(3)) return Number(BigInt.asIntN(64, varint(f, 3)));
  if (f.has(4)) {
    const v = f.get(4)?.at(-1);
    return Buffer.isBuffer(v) && v.length === 8 ? v.readDoubleLE(0) : 0;
  }
  if (f.has(5)) {
    const array = message(f, 5);
    return JSON.stringify(array ? messages(array, 1).map(anyValue) : []);
  }
  if (f.has(7)) return hex(f, 7);
  return '';
}

/** KeyValue list: key 1, value 2. */
const attributes = (list: Fields[]): Record<string, Scalar> =>
  Object.fromEntries(list.map((kv) => [text(kv, 1), anyValue(message(kv, 2))]));

/**
 * Decodes one binary OTLP `ExportTraceServiceRequest` into flat spans, as `decodeOtlpJson` does for
 * JSON; throws on a body that is not one.
 */
export function decodeOtlpProtobuf(body: Buffer): ReceivedSpan[] {
  const request = fieldsOf(body);
  const out: ReceivedSpan[] = [];
  for (const rs of messages(request, 1)) {
    const resourceMessage = message(rs, 1);
    const resource = attributes(resourceMessage ? messages(resourceMessage, 1) : []);
    for (const ss of messages(rs, 2)) {
      const scope = message(ss, 1);
      for (const s of messages(ss, 2)) {
        const status = message(s, 15);
        const statusMessage = status ? text(status, 2) : '';
        const traceId = hex(s, 1);
        const spanId = hex(s, 2);
        if (traceId.length !== 32 || spanId.length !== 16)
          throw new Error(`a span without a 16-byte trace id and an 8-byte span id (${traceId}/${spanId})`);
        out.push({
          traceId,
          spanId,
          parentSpanId: hex(s, 4),
          name: text(s, 5),
          kind: Number(varint(s, 6)),
          startNs: fixed64(s, 7),
          endNs: fixed64(s, 8),
          attributes: attributes(messages(s, 9)),
          status: {
            code: status ? Number(varint(status, 3)) : 0,
            ...(statusMessage ? { message: statusMessage } : {}),
          },
          links: messages(s, 13).map((l) => ({ traceId: hex(l, 1), spanId: hex(l, 2) })),
          resource,
          scope: scope ? text(scope, 1) : '',
        });
      }
    }
  }
  if (out.length === 0 && body.length > 0 && !request.has(1))
    throw new Error('not an OTLP ExportTraceServiceRequest: no resource_spans (field 1)');
  return out;
}
