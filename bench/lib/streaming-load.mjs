// The mixed load of the concurrency scenario, for one server or several nodes: sessions streaming
// like busy real agents while a separate process (load.mjs) times the API.
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { api } from './http.mjs';
import { sleep, spawnReady } from './proc.mjs';

/**
 * Keeps `targets` (`{ id, url }`: a session and the node that runs it) streaming for the load
 * window while load.mjs issues GET /v1/sessions and /read to `urls` in turn for `size.loadMs`; then
 * interrupts them. Each session is sent `turns` turns of `bursts` bursts each, queued before the
 * window (how long that took is `queueMs`). `cpu` names counters of CPU seconds (e.g. the servers'
 * own), each reported as % of one core over the window; `rss` names gauges in MiB, read as the
 * window ends; `count` names async counters (e.g. the newest event id), reported per second of
 * the window. Returns the load's summary, `cpuPct`, `rssMiB`, `perSec`, `queueMs` and `seconds`.
 */
export async function streamingLoad({
  targets,
  urls,
  size,
  turns = 5,
  bursts = size.concurrencyBursts,
  cpu = {},
  rss = {},
  count = {},
}) {
  // Each session streams like a busy real agent (~100 chunks/s), not flat out: 100 agents spinning
  // on 2 cores would measure the agents, not the server.
  const text = script(...Array.from({ length: bursts }, () => [{ chunksBulk: 10 }, { sleep: 100 }]).flat());
  // Enough queued turns to keep every session streaming through the load window (interrupted after).
  const q0 = performance.now();
  for (let k = 0; k < turns; k++)
    await Promise.all(targets.map(({ id, url }) => api(url, 'POST', `/v1/sessions/${id}/send`, { text })));
  const queueMs = performance.now() - q0;
  await sleep(300);
  const read = async (counters) =>
    Object.fromEntries(await Promise.all(Object.entries(counters).map(async ([k, f]) => [k, await f()])));
  const count0 = await read(count);
  const cpu0 = await read(cpu);
  const w0 = performance.now();
  const load = await spawnReady(
    [
      join(import.meta.dirname, 'load.mjs'),
      JSON.stringify({ urls, ids: targets.map((t) => t.id), durationMs: size.loadMs, concurrency: 4 }),
    ],
    { ready: /(\{.*\})\n/, timeoutMs: size.loadMs + 60_000 },
  );
  const result = JSON.parse(load.match[1]);
  const seconds = (performance.now() - w0) / 1000;
  const cpu1 = await read(cpu);
  const count1 = await read(count);
  const cpuPct = Object.fromEntries(Object.keys(cpu).map((k) => [k, ((cpu1[k] - cpu0[k]) / seconds) * 100]));
  const perSec = Object.fromEntries(Object.keys(count).map((k) => [k, (count1[k] - count0[k]) / seconds]));
  const rssMiB = await read(rss);
  // Interrupting drops the queued turns too.
  await Promise.all(targets.map(({ id, url }) => api(url, 'POST', `/v1/sessions/${id}/interrupt`)));
  await sleep(500);
  return { result, cpuPct, rssMiB, perSec, queueMs, seconds };
}
