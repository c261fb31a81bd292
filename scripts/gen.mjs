#!/usr/bin/env node
// Regenerates openapi.json, the TypeScript client types, the MCP tool inputs and the Python SDK from the route
// definitions. `--check` regenerates in memory and fails if any committed file differs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const { openApiDocument } = await import(join(root, 'packages/server/dist/index.js'));
const { generatePython } = await import(join(root, 'scripts/gen-python.mjs'));
const { generateClientOperations } = await import(join(root, 'scripts/gen-client.mjs'));
const { generateMcpInputs } = await import(join(root, 'scripts/gen-mcp-inputs.mjs'));
// openapi-typescript is a dev dependency of the client package, so resolve it from there.
const fromClient = createRequire(join(root, 'packages/client/package.json'));
const otsPath = pathToFileURL(fromClient.resolve('openapi-typescript'));
const ots = await import(otsPath.href);
const openapiTS = typeof ots.default === 'function' ? ots.default : ots.default.default;
const { astToString } = ots;

const doc = openApiDocument();
const files = new Map();
files.set('openapi.json', `${JSON.stringify(doc, null, 2)}\n`);
const ast = await openapiTS(doc);
files.set(
  'packages/client/src/schema.gen.ts',
  `// Generated from openapi.json by scripts/gen.mjs — do not edit.\n${astToString(ast)}${enumLists(doc)}`,
);
files.set('packages/client/src/operations.gen.ts', generateClientOperations(doc));
files.set('packages/mcp/src/inputs.gen.ts', generateMcpInputs(doc));
for (const [path, text] of generatePython(doc)) files.set(path, text);

/**
 * Each component schema that is a string enum (SessionStatus, PermissionMode, …) also as a const
 * array, `<camelName>Values`, so MCP and the dashboard import the lists instead of copying them.
 */
function enumLists(document) {
  const out = [];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (schema.type !== 'string' || !Array.isArray(schema.enum)) continue;
    const values = schema.enum.map((v) => JSON.stringify(v)).join(', ');
    const id = `${name[0].toLowerCase()}${name.slice(1)}Values`;
    out.push(
      `/** Every value of \`${name}\`, in the spec's order. */`,
      `export const ${id} = [${values}] as const satisfies readonly components['schemas']['${name}'][];`,
    );
  }
  return out.length > 0 ? `\n${out.join('\n')}\n` : '';
}

const stale = [];
for (const [rel, text] of files) {
  const path = join(root, rel);
  let current = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  if (current === text) continue;
  if (check) stale.push(rel);
  else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${rel}`);
  }
}
if (check && stale.length > 0) {
  console.error(`Generated files are stale: ${stale.join(', ')}\nRun \`pnpm gen\` and commit the result.`);
  process.exit(1);
}
if (check) console.log(`generated files are fresh (${files.size} checked)`);
