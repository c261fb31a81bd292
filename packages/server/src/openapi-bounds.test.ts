// Every string a client can send is length-bounded in the published schemas (issue: "all strings
// length-bounded"), so a new route or field without a bound fails here rather than in production.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Schema = Record<string, unknown>;
const doc = JSON.parse(
  readFileSync(join(fileURLToPath(import.meta.url), '../../../../openapi.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema> };
};

/** Paths (body.a.b[], query:x, …) of strings with no maxLength, enum, const or format. */
function unbounded(schema: Schema | undefined, path: string, seen: Set<string>, out: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return;
    seen.add(name);
    unbounded(doc.components.schemas[name], `${path}→${name}`, seen, out);
    return;
  }
  const type = schema.type;
  const isString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  if (isString && !('maxLength' in schema || 'enum' in schema || 'const' in schema || 'format' in schema)) {
    out.push(path);
  }
  for (const [k, v] of Object.entries((schema.properties as Record<string, Schema>) ?? {})) {
    unbounded(v, `${path}.${k}`, seen, out);
  }
  if (schema.items) unbounded(schema.items as Schema, `${path}[]`, seen, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    unbounded(schema.additionalProperties as Schema, `${path}{}`, seen, out);
  }
  if (schema.propertyNames) unbounded(schema.propertyNames as Schema, `${path}<key>`, seen, out);
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    for (const s of (schema[k] as Schema[] | undefined) ?? []) unbounded(s, path, seen, out);
  }
}

describe('request schemas', () => {
  const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${p}`, op] as const),
  );

  it('cover every operation', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(operations)('%s bounds every string it accepts', (_name, op) => {
    const out: string[] = [];
    const body = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.[
      'application/json'
    ]?.schema;
    unbounded(body, 'body', new Set(), out);
    for (const p of (op.parameters as { in: string; name: string; schema: Schema }[] | undefined) ?? []) {
      unbounded(p.schema, `${p.in}:${p.name}`, new Set(), out);
    }
    expect(out).toEqual([]);
  });
});
