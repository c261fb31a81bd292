// Generates the TypeScript client's operation methods (packages/client/src/operations.gen.ts) from
// the OpenAPI document: one method per operation, named by its operationId, with the path
// parameters first (in path order), then the JSON body or the query, then per-call options where the
// operation takes an Idempotency-Key. Types come from schema.gen.ts, so a method cannot drift from
// its route. `AegisClient` (client.ts) extends the class and adds what is not a plain JSON call.

/**
 * Operations written by hand in client.ts: a richer signature than the spec can say (a string
 * prompt; Telegram's secret-token header). Operations whose success is not JSON (event streams,
 * Prometheus text) are hand-written too, found from the document.
 */
const HAND_WRITTEN = new Set(['sendMessage', 'telegramWebhook']);

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

export function generateClientOperations(doc) {
  const methods = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const verb of METHOD_ORDER) {
      const op = item[verb];
      if (!op?.operationId || HAND_WRITTEN.has(op.operationId)) continue;
      const method = operationMethod(path, verb, op);
      if (method) methods.push(method);
    }
  }
  return `// Generated from openapi.json by scripts/gen.mjs (scripts/gen-client.mjs) — do not edit.
import type { CallOptions, RequestOptions } from './request-options.js';
import type { operations } from './schema.gen.js';

type Op = keyof operations;
type Query<O extends Op> = operations[O] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Body<O extends Op> = operations[O] extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: { 'application/json': infer T } }
    ? T
    : never
  : never;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<O extends Op, Code extends number> = Json<operations[O]['responses'][Code & keyof operations[O]['responses']]>;

const enc = encodeURIComponent;

/** The API's operations, one method each (named by \`operationId\`). */
export abstract class AegisOperations {
  protected abstract request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
${methods.join('\n')}
}
`;
}

function operationMethod(path, verb, op) {
  const id = op.operationId;
  const success = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
  const jsonCodes = success.filter(([, r]) => r.content?.['application/json']).map(([code]) => code);
  // Event streams and plain text: hand-written in client.ts.
  if (success.length > 0 && jsonCodes.length === 0) return null;
  const otherFormats = success.some(([, r]) =>
    Object.keys(r.content ?? {}).some((t) => t !== 'application/json'),
  );

  const params = op.parameters ?? [];
  const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const query = params.filter((p) => p.in === 'query');
  // An operation that also answers CSV or NDJSON: the method is its JSON form (`format` left out);
  // the text forms have their own export methods in client.ts.
  const queryNames = query.map((p) => p.name).filter((n) => !(otherFormats && n === 'format'));
  const idempotent = params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  const body = op.requestBody?.content?.['application/json'] ? op.requestBody : null;

  const args = pathNames.map((n) => `${n}: string`);
  const options = [];
  if (body) {
    args.push(body.required ? `body: Body<'${id}'>` : `body: Body<'${id}'> = {}`);
    options.push('body');
  }
  if (queryNames.length > 0) {
    const type =
      queryNames.length < query.length
        ? `Omit<Query<'${id}'>, ${query
            .filter((p) => !queryNames.includes(p.name))
            .map((p) => `'${p.name}'`)
            .join(' | ')}>`
        : `Query<'${id}'>`;
    const required = query.some((p) => p.required && queryNames.includes(p.name));
    args.push(required ? `query: ${type}` : `query: ${type} = {}`);
    options.push('query');
  }
  if (idempotent) {
    args.push('call?: CallOptions');
    options.push('call');
  }
  const result = jsonCodes.length > 0 ? jsonCodes.map((c) => `Ok<'${id}', ${c}>`).join(' | ') : 'never';
  // Path parameters become `${enc(name)}` inside a template literal of the generated code.
  const url =
    pathNames.length > 0 ? `\`${path.replace(/\{(\w+)\}/g, (_, name) => `\${enc(${name})}`)}\`` : `'${path}'`;
  const opts = options.length > 0 ? `, { ${options.join(', ')} }` : '';
  return `${jsDoc(op)}  ${id}(${args.join(', ')}): Promise<${result}> {
    return this.request('${verb.toUpperCase()}', ${url}${opts});
  }`;
}

function jsDoc(op) {
  const lines = [];
  if (op.summary) lines.push(op.summary.endsWith('.') ? op.summary : `${op.summary}.`);
  if (op.description && op.description !== op.summary) lines.push('', ...op.description.split('\n'));
  if (op.deprecated) lines.push('', '@deprecated');
  if (lines.length === 0) return '';
  return `  /**\n${lines.map((l) => (l ? `   * ${l.replaceAll('*/', '*\\/')}` : '   *')).join('\n')}\n   */\n`;
}
