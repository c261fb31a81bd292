// Requests without credentials on a server with many API keys: a load balancer's `/v1/health`
// probe, and a request refused 401. While zero-config local access is possible, each such request
// asks whether any key is active; neither should grow with the number of keys. The baseline is the
// same server with one key, in the same run.
import { startAegis, tempRoot } from './aegis.mjs';
import { leanClient } from './http.mjs';
import { cpuSeconds, percentile } from './proc.mjs';

async function createKeys(url, n) {
  const post = async (body, token) => {
    const res = await fetch(`${url}/v1/auth/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`creating an API key: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { secret } = await post({ name: 'admin', role: 'admin' });
  for (let i = 1; i < n; i++) await post({ name: `viewer-${i}`, role: 'viewer' }, secret);
}

/** p50/p99 and server CPU per request of `reads` GETs of `path` answered `status`. */
async function measure(server, path, status, reads) {
  const client = leanClient(server.url);
  try {
    for (let i = 0; i < Math.min(50, reads); i++) await client.get(path, status);
    const cpu0 = cpuSeconds(server.pid);
    const ms = [];
    for (let i = 0; i < reads; i++) ms.push((await client.get(path, status)).ms);
    return {
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      cpuUs: ((cpuSeconds(server.pid) - cpu0) * 1e6) / reads,
    };
  } finally {
    client.close();
  }
}

export async function probes(size) {
  const figures = {};
  for (const keys of [1, size.probeKeys]) {
    const t = tempRoot(`probes-${keys}`);
    const server = await startAegis(t.root);
    try {
      await createKeys(server.url, keys);
      figures[keys] = {
        health: await measure(server, '/v1/health', 200, size.probeReads),
        refused: await measure(server, '/v1/sessions', 401, size.probeReads),
      };
    } finally {
      await server.stop();
    }
  }
  const many = figures[size.probeKeys];
  const one = figures[1];
  const row = (metric, m, base) => ({
    scenario: 'probes',
    metric,
    value: m.p50,
    unit: 'ms',
    baseline: base.p50,
    ratio: m.p50 / base.p50,
    p99Ms: m.p99,
    baselineP99Ms: base.p99,
    serverCpuUs: Math.round(m.cpuUs),
    baselineServerCpuUs: Math.round(base.cpuUs),
  });
  return [
    row(`GET /v1/health without credentials, ${size.probeKeys} API keys (p50)`, many.health, one.health),
    row(
      `GET /v1/sessions without credentials → 401, ${size.probeKeys} API keys (p50)`,
      many.refused,
      one.refused,
    ),
  ];
}
