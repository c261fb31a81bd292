#!/usr/bin/env node
// Reports the gzipped size of what the browser loads before the dashboard can render (the files
// dist/index.html references: entry script, module preloads, stylesheets) and fails the build when
// it grows past the budget. Run after `vite build` (part of `pnpm build`); writes dist/bundle-size.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Initial bundle budget, gzipped (JS + CSS + HTML). */
const BUDGET_BYTES = 120 * 1024;

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const refs = [
  ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="(?:stylesheet|modulepreload)"[^>]+href="([^"]+)"/g),
  ...html.matchAll(/<link[^>]+href="([^"]+)"[^>]+rel="(?:stylesheet|modulepreload)"/g),
].map((m) => m[1]);
const files = [...new Set(refs)]
  .filter((r) => !/^(https?:|data:)/.test(r))
  .map((r) => r.replace(/^\/dashboard\//, ''));

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const rows = [{ file: 'index.html', bytes: Buffer.byteLength(html), gzip: gz(Buffer.from(html)) }];
for (const file of files) {
  const buf = readFileSync(join(dist, file));
  rows.push({ file, bytes: buf.length, gzip: gz(buf) });
}
const total = rows.reduce((n, r) => n + r.gzip, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const r of rows)
  console.log(`  ${r.file.padEnd(36)} ${kb(r.bytes).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);
console.log(`initial bundle: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)})`);
writeFileSync(
  join(dist, 'bundle-size.json'),
  `${JSON.stringify({ totalGzipBytes: total, budgetGzipBytes: BUDGET_BYTES, files: rows }, null, 2)}\n`,
);
if (total > BUDGET_BYTES) {
  console.error(
    `The initial bundle is ${kb(total)} gzipped, over its ${kb(BUDGET_BYTES)} budget: lazy-load a page or drop a dependency.`,
  );
  process.exit(1);
}
