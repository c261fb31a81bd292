// The mixed load of the concurrency scenario, for one server or several nodes: sessions streaming
// like busy real agents while a separate process (load.mjs) times the API.
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { api } from './http.mjs';
import { sleep, spawnReady } from './proc.mjs';

/**
 * Keeps `targets` (`{ id, url }`: a session and the node that runs it) streaming for the load
 * window while load.mjs issues GET /v1/sessions and /read to `urls` in turn for `size.loadMs`; then
 * interrupts them. `cpu` names counters of CPU seconds (e.g. the servers' own), each reported as %
 * of one core over the window; `rss` names gauges in MiB, read as the window ends. Returns the
 * load's summary, `cpuPct`, `rssMiB` and the window's seconds.
 */
export async function streamingLoad({ targets, urls, size, cpu = {}, rss = {} }) {
  // Each session streams like a busy real agent (~100 chunks/s), not flat out: 100 agents spinning
  // on 2 cores would measure the agents, not the server.
  const text = script(
    ...Array.from({ length: size.concurrencyBursts }, () => [{ chunksBulk: 10 }, { sleep: 100 }]).flat(),
  );
  // Enough queued turns to keep every session streaming through the load window (interrupted after).
  for (let k = 0; k < 5; k++)
    await Promise.all(targets.map(({ id, url }) => api(url, 'POST', `/v1/sessions/${id}/send`, { text })));
  await sleep(300);
  const cpu0 = Object.fromEntries(Object.entries(cpu).map(([k, f]) => [k, f()]));
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
  const cpuPct = Object.fromEntries(
    Object.entries(cpu).map(([k, f]) => [k, ((f() - cpu0[k]) / seconds) * 100]),
  );
  const rssMiB = Object.fromEntries(Object.entries(rss).map(([k, f]) => [k, f()]));
  // Interrupting drops the queued turns too.
  await Promise.all(targets.map(({ id, url }) => api(url, 'POST', `/v1/sessions/${id}/interrupt`)));
  await sleep(500);
  return { result, cpuPct, rssMiB, seconds };
}
