import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Which workspace packages each package may import (ARCHITECTURE.md). Anything else is a violation. */
const ALLOWED: Record<string, string[]> = {
  '@aegis/core': [],
  '@aegis/acp-runtime': ['@aegis/core'],
  '@aegis/server': ['@aegis/core', '@aegis/acp-runtime'],
  '@aegis/client': [],
  '@aegis/mcp': ['@aegis/client'],
  '@aegis/cli': ['@aegis/client', '@aegis/server', '@aegis/mcp'],
  '@aegis/dashboard': ['@aegis/client'],
  '@aegis/testkit': [],
  // examples/: show the public entry points only (never an internal path).
  '@aegis/example-embed-core': ['@aegis/core', '@aegis/acp-runtime'],
};
/** Test-only imports that may cross the line (tests live beside the code). */
const TEST_ALLOWED: Record<string, string[]> = {
  '@aegis/acp-runtime': ['@aegis/testkit'],
  '@aegis/server': ['@aegis/testkit', '@aegis/client'],
  '@aegis/cli': ['@aegis/testkit'],
  '@aegis/mcp': ['@aegis/testkit', '@aegis/server'],
  '@aegis/dashboard': ['@aegis/server', '@aegis/testkit'],
  '@aegis/example-embed-core': ['@aegis/testkit'],
};

interface Pkg {
  name: string;
  dir: string;
  json: Record<string, Record<string, string> | string>;
}

function packages(): Pkg[] {
  const out: Pkg[] = [];
  for (const group of ['packages', 'apps', 'examples']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (json.name in ALLOWED) out.push({ name: json.name, dir: join(root, group, name), json });
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const IMPORT =
  /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const isTest = (file: string) => /\.test\.tsx?$|__fixtures__|\/e2e\//.test(file);

describe('dependency direction', () => {
  it.each(packages().map((p) => [p.name, p] as const))('%s imports only what it may', (_name, pkg) => {
    const violations: string[] = [];
    for (const file of sourceFiles(join(pkg.dir, 'src')).concat(sourceFiles(join(pkg.dir, 'e2e')))) {
      for (const spec of importsOf(file)) {
        const m = /^(@aegis\/[^/]+)(\/.*)?$/.exec(spec);
        if (!m) continue;
        const target = m[1] as string;
        const allowed = [
          ...(ALLOWED[pkg.name] ?? []),
          ...(isTest(file) ? (TEST_ALLOWED[pkg.name] ?? []) : []),
        ];
        if (target !== pkg.name && !allowed.includes(target)) {
          violations.push(`${relative(root, file)} imports ${spec}`);
        }
        if (m[2]?.startsWith('/src')) violations.push(`${relative(root, file)} deep-imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it.each(packages().map((p) => [p.name, p] as const))(
    '%s declares only allowed workspace dependencies',
    (_n, pkg) => {
      const deps = Object.keys((pkg.json.dependencies as Record<string, string>) ?? {}).filter((d) =>
        d.startsWith('@aegis/'),
      );
      expect(deps.filter((d) => !(ALLOWED[pkg.name] ?? []).includes(d))).toEqual([]);
    },
  );

  it('the core entry point pulls in no Node built-ins (child_process, fs, …)', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('node:') || ['fs', 'child_process', 'path', 'os'].includes(spec)) {
          nodeImports.push(`${relative(root, file)}: ${spec}`);
        } else if (spec.startsWith('.')) {
          visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        }
      }
    };
    visit(join(root, 'packages/core/src/index.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(nodeImports).toEqual([]);
  });
});

describe('HTTP stays in the server', () => {
  // Core returns codes and details (`details.next` names the next operation by its operationId);
  // the server words hints and URLs. Schema descriptions (`.describe(…)`) document the HTTP
  // contract the server publishes from core's schemas, and comments explain: both may name routes.
  const comment = /^\s*(\/\/|\*|\/\*\*)/;
  it('core source names no /v1/ route and no server environment variable in what it says', () => {
    const found: string[] = [];
    for (const file of sourceFiles(join(root, 'packages/core/src'))) {
      if (isTest(file)) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/\/v1\/|\bAEGIS_[A-Z]\w*/.test(line) || comment.test(line)) return;
        if (/\.describe\(/.test(line) || /\.describe\(\s*$/.test(lines[i - 1] ?? '')) return;
        found.push(`${relative(root, file)}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(found).toEqual([]);
  });
});
