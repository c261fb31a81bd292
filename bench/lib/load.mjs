// The API load generator, run as its own process: `concurrency` loops issue GET /v1/sessions and
// GET /v1/sessions/{id}/read for `durationMs`, then print the latencies as JSON on stdout. With
// `urls` (several nodes of a cluster) the requests go to them in turn.
// Usage: node load.mjs '<{"url" or "urls","ids","durationMs","concurrency"}>'
import { percentile } from './proc.mjs';

const { url, urls = [url], ids, durationMs, concurrency = 4 } = JSON.parse(process.argv[2]);
const lat = { list: [], read: [] };
const errors = [];
const deadline = Date.now() + durationMs;
let next = 0;

async function timed(kind, path) {
  const base = urls[next++ % urls.length];
  const t0 = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  if (!res.ok) errors.push(`${base}${path}: ${res.status}`);
  lat[kind].push(performance.now() - t0);
}

async function worker(n) {
  let i = n;
  while (Date.now() < deadline) {
    await timed('list', '/v1/sessions?limit=20');
    await timed('read', `/v1/sessions/${ids[i++ % ids.length]}/read?limit=50`);
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
const summary = (v) => ({ n: v.length, p50: percentile(v, 50), p99: percentile(v, 99) });
process.stdout.write(
  `${JSON.stringify({ list: summary(lat.list), read: summary(lat.read), errors: errors.slice(0, 5), errorCount: errors.length })}\n`,
);
