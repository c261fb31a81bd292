// Small JSON helpers over fetch for driving the Aegis HTTP API.

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

/** Timed GET; resolves with the milliseconds it took (the body is read fully). */
export async function timedGet(base, path) {
  const t0 = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return performance.now() - t0;
}
