#!/usr/bin/env node
// The Aegis benchmark suite. `pnpm bench` runs every scenario at full size, prints a table and
// writes results.json; `--smoke` runs each at a tiny size (part of `pnpm test`, so the suite cannot
// rot) and prints `N passed, N failed`. `--only a,b` picks scenarios; `--skip real` leaves some out;
// such a partial run merges its rows into results.json instead of replacing the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadAverage, round } from './lib/proc.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const USAGE = `usage: node bench/run.mjs [--smoke] [--only a,b] [--skip a,b]
  --smoke     every scenario at a tiny size; prints N passed, N failed (part of pnpm test)
  --only a,b  run only these scenarios; their rows are merged into bench/results.json
  --skip a,b  run all but these
scenarios: ${Object.keys(SCENARIOS).join(', ')}`;

/** Stops with the usage and a one-line reason (exit 2), before anything is started. */
function usageError(reason) {
  console.error(`${reason}\n${USAGE}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--only' || argv[i] === '--skip') i++;
  else if (argv[i] !== '--smoke' && argv[i] !== '--') usageError(`unknown argument ${argv[i]}`);
}
const smoke = argv.includes('--smoke');
const list = (flag) => {
  if (!argv.includes(flag)) return null;
  const value = argv[argv.indexOf(flag) + 1];
  if (!value || value.startsWith('--')) usageError(`${flag} needs a comma-separated list of scenarios`);
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) usageError(`unknown scenario ${unknown.join(', ')} in ${flag}`);
  return names;
};
const only = list('--only');
const skip = list('--skip') ?? [];

const FULL = {
  chunks: 10_000,
  tools: 200,
  repeats: 3,
  subscribers: [1, 10, 100],
  concurrency: [10, 50, 100],
  concurrencyBursts: 50,
  loadMs: 6_000,
  idle: [100, 500],
  cycles: 3,
  cycleSessions: 100,
  transcript: 100_000,
  replay: 10_000,
  replayRuns: 5,
  pages: 1_000,
  serveRuns: 3,
  createRuns: 5,
  poolSize: 2,
  realRuns: 3,
  realParallel: 5,
  evictSessions: 50,
  clusterSessions: 3,
  clusterBursts: 60,
  clusterLoadSessions: 50,
  clusterLeaseMs: 30_000,
  leaseMs: 3_000,
  ledgerRows: 1_000_000,
  usageReads: 50,
  tracingRepeats: 60,
  tracingRealRepeats: 60,
  tracingRealSessions: 4,
  historySessions: 100_000,
  historyReads: 50,
  probeKeys: 1_000,
  probeReads: 1_000,
  captureMiB: 8,
  captureRuns: 5,
};
const SMOKE = {
  chunks: 50,
  tools: 3,
  repeats: 1,
  subscribers: [1, 2],
  concurrency: [2],
  concurrencyBursts: 2,
  loadMs: 300,
  idle: [3],
  cycles: 1,
  cycleSessions: 2,
  transcript: 200,
  replay: 100,
  replayRuns: 1,
  pages: 5,
  serveRuns: 1,
  createRuns: 1,
  poolSize: 1,
  realRuns: 1,
  realParallel: 2,
  evictSessions: 3,
  clusterSessions: 3,
  clusterBursts: 3,
  clusterLoadSessions: 3,
  clusterLeaseMs: 1_000,
  leaseMs: 1_000,
  ledgerRows: 500,
  usageReads: 5,
  tracingRepeats: 2,
  tracingRealRepeats: 1,
  tracingRealSessions: 1,
  historySessions: 50,
  historyReads: 3,
  probeKeys: 3,
  probeReads: 5,
  captureMiB: 1,
  captureRuns: 1,
};
const size = smoke ? SMOKE : FULL;
/** A scenario that runs past this is reported failed rather than hanging the suite. */
const LIMIT_S = 300;
/** Longer bounds: `cluster` measures three configurations (five servers) one after another;
 * `realAgent` starts some 40 real adapters. */
const LIMITS_S = { cluster: 600, realAgent: 600 };
// The real adapter needs its ~330 MB native binary and several seconds per start; smoke runs skip it.
if (smoke) skip.push('realAgent', 'coldResume', 'sandbox', 'tracingRealAgent');

const started = Date.now();
const load0 = loadAverage();
const rows = [];
const failures = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  if (only && !only.includes(name)) continue;
  if (skip.includes(name)) continue;
  const t0 = Date.now();
  process.stdout.write(`• ${name} … `);
  try {
    let timer;
    const limitS = LIMITS_S[name] ?? LIMIT_S;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} took longer than ${limitS} s`)), limitS * 1000);
    });
    const got = await Promise.race([scenario(size), limit]).finally(() => clearTimeout(timer));
    rows.push(...got);
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    failures.push({ scenario: name, error: String(err?.stack ?? err) });
    console.log(`FAILED\n${err?.stack ?? err}`);
  }
}

const fmt = (v) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(round(v, v < 10 ? 2 : 0)) : String(v);
const detail = (r) =>
  Object.entries(r)
    .filter(
      ([k]) =>
        ![
          'scenario',
          'metric',
          'value',
          'unit',
          'baseline',
          'ratio',
          'floor',
          'met',
          'runs',
          'perCycleMiB',
        ].includes(k),
    )
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(' ');
const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'floor', 'met', 'details'];
const table = rows.map((r) => [
  r.scenario,
  r.metric,
  `${fmt(r.value)} ${r.unit}`,
  r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`,
  r.ratio === undefined ? '' : `${round(r.ratio, 2)}×`,
  r.floor ?? '',
  r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  detail(r),
]);
const widths = header.map(
  (h, i) =>
    Math.max(h.length, ...table.map((c) => c[i].length)).toString() &&
    Math.min(60, Math.max(h.length, ...table.map((c) => c[i].length))),
);
const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
console.log(`\n${line(header)}`);
for (const cells of table) console.log(line(cells));

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memGiB: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  loadAverageBefore: load0,
  loadAverageAfter: loadAverage(),
};
console.log(
  `\nmachine: ${machine.cpus} cores, node ${machine.node}, load ${machine.loadAverageBefore.join(' ')} → ${machine.loadAverageAfter.join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
if (!smoke) {
  const out = join(import.meta.dirname, 'results.json');
  const at = new Date().toISOString();
  let doc = { at, machine, size, rows, failures };
  if ((only || skip.length > 0) && existsSync(out)) {
    // A partial run (--only / --skip) updates the rows it measured and keeps the others; the run
    // that produced them is listed under `partialRuns`.
    const prev = JSON.parse(readFileSync(out, 'utf8'));
    const ran = Object.keys(SCENARIOS).filter((n) => (!only || only.includes(n)) && !skip.includes(n));
    const key = (r) => `${r.scenario}\n${r.metric}`;
    const fresh = new Map(rows.map((r) => [key(r), r]));
    const merged = prev.rows.map((r) => fresh.get(key(r)) ?? r);
    const kept = new Set(prev.rows.map(key));
    merged.push(...rows.filter((r) => !kept.has(key(r))));
    doc = {
      ...prev,
      rows: merged,
      partialRuns: [
        ...(prev.partialRuns ?? []).filter((p) => !p.scenarios.every((n) => ran.includes(n))),
        { at, machine, scenarios: ran, size, failures },
      ],
    };
  }
  // Non-ASCII escaped (\u2192), as the committed file has it, so a merge changes only its own rows.
  const json = JSON.stringify(doc, null, 2).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(out, `${json}\n`);
  console.log(`wrote ${out}`);
}
const passed =
  Object.keys(SCENARIOS).filter((n) => (!only || only.includes(n)) && !skip.includes(n)).length -
  failures.length;
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
