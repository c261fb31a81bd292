#!/usr/bin/env node
// Bundles `ag` (src/bin.ts and everything it imports, the workspace packages included) into
// dist/bundle/: one entry plus chunks that load on first use, as the commands do. A command then
// loads a few files instead of ~1,400 ES modules: `ag serve` reaches healthy ~40 % sooner with
// ~17 % less memory, and short commands spend ~20-25 % less CPU (docs/benchmarks.md).
//
// dist/bin.js (the published bin, as documented) becomes a two-line stub importing the bundle.
// What stays outside the bundle, loaded from the installed packages as before:
// - native addons (better-sqlite3) and packages read by path at run time (yaml via createRequire,
//   the pinned Claude Code adapter, swagger-ui-dist);
// - files a workspace module finds next to itself (`new URL('../../drizzle', import.meta.url)`,
//   the dashboard, package.json versions): each workspace module's `import.meta.url` is rewritten
//   to that module's own file in its installed package, so those paths and createRequire calls
//   resolve exactly as they did unbundled.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = join(cliRoot, '..', '..');
const outdir = join(cliRoot, 'dist', 'bundle');

/** Modules resolved at run time from the installed packages, never bundled. */
const EXTERNAL = ['better-sqlite3', 'pg-native'];

/**
 * How each workspace package is reached from @aegis/cli through declared dependencies (e.g.
 * @aegis/core through @aegis/server): the bundle resolves a package's files along that path, as
 * Node would for the unbundled modules, under pnpm's strict layout as under npm's hoisted one.
 */
function dependencyPaths() {
  const manifests = new Map();
  const packages = join(workspaceRoot, 'packages');
  for (const dir of readdirSync(packages)) {
    try {
      const json = JSON.parse(readFileSync(join(packages, dir, 'package.json'), 'utf8'));
      manifests.set(json.name, json);
    } catch {
      // not a package
    }
  }
  const paths = new Map([['@aegis/cli', []]]);
  const queue = ['@aegis/cli'];
  while (queue.length) {
    const name = queue.shift();
    for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) {
      if (!manifests.has(dep) || paths.has(dep)) continue;
      paths.set(dep, [...paths.get(name), dep]);
      queue.push(dep);
    }
  }
  return paths;
}
const reach = dependencyPaths();

/** The package root and name of a workspace source file, or undefined for anything else. */
function workspacePackage(file) {
  if (!file.startsWith(workspaceRoot + sep) || file.includes(`${sep}node_modules${sep}`)) return undefined;
  for (let dir = dirname(file); dir.startsWith(workspaceRoot); dir = dirname(dir)) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { root: dir, name };
    } catch {
      // no package.json here: look one folder up
    }
  }
  return undefined;
}

const problems = [];

function pathTo(name, file) {
  const path = reach.get(name);
  if (!path) problems.push(`${file}: ${name} is not a dependency of @aegis/cli, direct or indirect`);
  return path ?? [];
}

/** Rewrites `import.meta.url` in workspace modules to the module's own installed file. */
const moduleUrls = {
  name: 'aegis-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
      if (!text.includes('import.meta.url')) return undefined;
      const pkg = workspacePackage(args.path);
      if (!pkg) {
        problems.push(`${args.path}: uses import.meta.url`);
        return undefined;
      }
      const file = relative(pkg.root, args.path).split(sep).join('/');
      // cli's own files: the bundle sits in <cli>/dist/bundle; the others: their installed package.
      const url =
        pkg.name === '@aegis/cli'
          ? `new URL(${JSON.stringify(`../../${file.replace(/^src\/(.*)\.ts$/, 'dist/$1.js')}`)}, import.meta.url).href`
          : `__aegisModuleUrl(${JSON.stringify(pathTo(pkg.name, args.path))}, ${JSON.stringify(file)})`;
      return { contents: text.replaceAll('import.meta.url', url), loader };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { bin: join(cliRoot, 'src', 'bin.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // Identifiers are kept (stack traces name their functions); whitespace, comments and redundant
  // syntax go: 5.0 MB of chunks instead of 7.5, ~2.5 MiB less heap in `ag serve` and a faster parse.
  minifyWhitespace: true,
  minifySyntax: true,
  external: EXTERNAL,
  plugins: [moduleUrls],
  // Bundled CommonJS packages call require(); workspace modules' URLs resolve through their packages.
  banner: {
    js: [
      "import { createRequire as __aegisCreateRequire } from 'node:module';",
      "import { pathToFileURL as __aegisPathToFileURL } from 'node:url';",
      'const require = __aegisCreateRequire(import.meta.url);',
      'const __aegisModuleUrl = (path, file) => {',
      '  let manifest;',
      '  for (const pkg of path)',
      "    manifest = (manifest ? __aegisCreateRequire(manifest) : require).resolve(pkg + '/package.json');",
      '  return new URL(file, __aegisPathToFileURL(manifest)).href;',
      '};',
    ].join('\n'),
  },
  logLevel: 'warning',
  metafile: true,
});
// A dynamic import() of a CommonJS package becomes a chunk exporting only `default` (esbuild cannot
// know a CommonJS module's names before it runs), so `const { X } = await import('cjs')` would get
// undefined. Such packages must be imported statically by a workspace module that loads lazily.
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  if (file.includes('node_modules/')) continue;
  for (const { path, kind } of input.imports) {
    if (kind === 'dynamic-import' && result.metafile.inputs[path]?.format === 'cjs') {
      problems.push(`${file}: import() of CommonJS ${path}; import it statically in a lazily loaded module`);
    }
  }
}
if (problems.length) {
  console.error(`bundle: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
writeFileSync(
  join(cliRoot, 'dist', 'bin.js'),
  "#!/usr/bin/env node\n// `ag` is bundled into ./bundle (scripts/bundle.mjs).\nimport './bundle/bin.js';\n",
  { mode: 0o755 },
);
const files = Object.keys(result.metafile.outputs).length;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${inputs} modules into ${files} files in dist/bundle`);
