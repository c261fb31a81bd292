// Generates the MCP tool inputs (packages/mcp/src/inputs.gen.ts) from the OpenAPI document: for
// each operation, its JSON body fields and its query parameters as zod shapes, with the spec's
// limits, enums and descriptions. The spec comes from the server's zod schemas (core's, for the
// session contract), so a tool input cannot drift from its route; MCP depends on the client only,
// so the shapes are generated source rather than imports.

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

export function generateMcpInputs(doc) {
  const consts = [];
  /** Bodies that are the same component (createTemplate and updateTemplate): one shape, named twice. */
  const byRef = new Map();
  for (const [, item] of Object.entries(doc.paths)) {
    for (const verb of METHOD_ORDER) {
      const op = item[verb];
      if (!op?.operationId) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      const resolved = body && deref(doc, body);
      const same = body?.$ref && byRef.get(body.$ref);
      if (same) {
        consts.push(
          `\n/** The JSON body of \`${op.operationId}\` (the same as \`${same}\`). */\nexport const ${op.operationId}Body = ${same};\n`,
        );
      } else if (resolved?.type === 'object' && resolved.properties) {
        if (body.$ref) byRef.set(body.$ref, `${op.operationId}Body`);
        const fields = Object.entries(resolved.properties).map(([name, s]) =>
          field(name, zodOf(doc, s), (resolved.required ?? []).includes(name)),
        );
        consts.push(shape(`${op.operationId}Body`, `The JSON body of \`${op.operationId}\``, fields));
      }
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      if (query.length > 0) {
        const fields = query.map((p) =>
          field(
            p.name,
            zodOf(doc, p.description ? { ...p.schema, description: p.description } : p.schema),
            p.required === true,
          ),
        );
        consts.push(shape(`${op.operationId}Query`, `The query parameters of \`${op.operationId}\``, fields));
      }
    }
  }
  return `// Generated from openapi.json by scripts/gen.mjs (scripts/gen-mcp-inputs.mjs) — do not edit.
import { z } from 'zod';
${consts.join('')}`;
}

const shape = (name, doc, fields) =>
  `\n/** ${doc}, field by field (pick from it for a tool's input). */\nexport const ${name} = {\n${fields.join('')}};\n`;

const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

const field = (name, zod, required) => `  ${key(name)}: ${withOptional(zod, required)},\n`;

/** `.optional()` goes before `.describe()` so the description stays on the outer schema. */
function withOptional(zod, required) {
  if (required) return zod.code;
  return zod.description === undefined
    ? `${zod.code}.optional()`
    : `${zod.base}.optional().describe(${JSON.stringify(zod.description)})`;
}

function deref(doc, schema) {
  let s = schema;
  while (s?.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = doc.components.schemas[name];
    if (!s) throw new Error(`gen-mcp-inputs: unresolved ${schema.$ref}`);
  }
  return s;
}

/** Zod source for a JSON Schema: `{ code, base, description }` (`base` is `code` without the description). */
function zodOf(doc, schema) {
  const s = schema.$ref
    ? { ...deref(doc, schema), ...(schema.description ? { description: schema.description } : {}) }
    : schema;
  const base = baseOf(doc, s);
  const description = s.description;
  return {
    base,
    description,
    code: description === undefined ? base : `${base}.describe(${JSON.stringify(description)})`,
  };
}

const nested = (doc, s) => zodOf(doc, s).code;

function baseOf(doc, s) {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) {
    const nonNull = variants.filter((v) => v.type !== 'null');
    const inner =
      nonNull.length === 1
        ? nested(doc, nonNull[0])
        : `z.union([${nonNull.map((v) => nested(doc, v)).join(', ')}])`;
    return nonNull.length < variants.length ? `${inner}.nullable()` : inner;
  }
  if (s.allOf?.length === 1) return nested(doc, s.allOf[0]);
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    const inner = types.length === 1 ? baseOf(doc, { ...s, type: types[0] }) : 'z.json()';
    return types.length < s.type.length ? `${inner}.nullable()` : inner;
  }
  if (s.enum) {
    if (s.enum.every((v) => typeof v === 'string')) return `z.enum(${JSON.stringify(s.enum)})`;
    return s.enum.length === 1
      ? `z.literal(${JSON.stringify(s.enum[0])})`
      : `z.union([${s.enum.map((v) => `z.literal(${JSON.stringify(v)})`).join(', ')}])`;
  }
  switch (s.type) {
    case 'string': {
      let c = s.format === 'date-time' ? 'z.iso.datetime()' : 'z.string()';
      if (s.minLength !== undefined) c += `.min(${s.minLength})`;
      if (s.maxLength !== undefined) c += `.max(${s.maxLength})`;
      if (s.pattern !== undefined) c += `.regex(new RegExp(${JSON.stringify(s.pattern)}))`;
      return c;
    }
    case 'integer':
    case 'number': {
      let c = s.type === 'integer' ? 'z.number().int()' : 'z.number()';
      if (s.minimum !== undefined) c += `.min(${s.minimum})`;
      if (s.exclusiveMinimum !== undefined) c += `.gt(${s.exclusiveMinimum})`;
      if (s.maximum !== undefined) c += `.max(${s.maximum})`;
      if (s.exclusiveMaximum !== undefined) c += `.lt(${s.exclusiveMaximum})`;
      return c;
    }
    case 'boolean':
      return 'z.boolean()';
    case 'null':
      return 'z.null()';
    case 'array': {
      let c = `z.array(${s.items ? nested(doc, s.items) : 'z.json()'})`;
      if (s.minItems !== undefined) c += `.min(${s.minItems})`;
      if (s.maxItems !== undefined) c += `.max(${s.maxItems})`;
      return c;
    }
    case 'object': {
      if (!s.properties) {
        const values =
          typeof s.additionalProperties === 'object' ? nested(doc, s.additionalProperties) : 'z.json()';
        return `z.record(z.string(), ${values})`;
      }
      const fields = Object.entries(s.properties)
        .map(([name, p]) => `${key(name)}: ${withOptional(zodOf(doc, p), (s.required ?? []).includes(name))}`)
        .join(', ');
      return `${s.additionalProperties === false ? 'z.strictObject' : 'z.object'}({ ${fields} })`;
    }
    default:
      return 'z.json()';
  }
}
