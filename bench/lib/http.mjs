// Small JSON helpers over fetch for driving the Aegis HTTP API, and a lean timed GET client.
import http from 'node:http';

export async function api(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Polls `base`/v1/health every `everyMs` until it answers 200; throws after `timeoutMs`. */
export async function waitHealthy(base, { everyMs = 5, timeoutMs = 30_000, what = base } = {}) {
  const t0 = performance.now();
  for (;;) {
    const ok = await fetch(`${base}/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`${what} did not become healthy in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Timed GET; resolves with the milliseconds it took (the body is read fully). */
export async function timedGet(base, path) {
  const t0 = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return performance.now() - t0;
}

/**
 * A timed GET client for latency percentiles: one kept-alive connection through node:http, the body
 * read fully. fetch (undici) adds client-side jitter of its own (p99 ~3 ms against a bare Node server
 * answering a fixed body, on the 2-core bench machine), which would swamp a server-side figure of a
 * few ms. `get(path)` resolves with the milliseconds it took and the body; `close()` ends the socket.
 */
export function leanClient(base) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    /** `status`: the answer expected (another is an error). */
    get(path, status = 200) {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        http
          .get(base + path, { agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const ms = performance.now() - t0;
              if (res.statusCode !== status) reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
              else resolve({ ms, body: Buffer.concat(chunks) });
            });
            res.on('error', reject);
          })
          .on('error', reject);
      });
    },
    close: () => agent.destroy(),
  };
}
