// biome-ignore-all lint/suspicious/noExplicitAny: the tests assert response bodies field by field
import type { RunningServer } from '../server.js';

/** `call(method, path, body?, headers?)` against the server `server()` returns: status, JSON body, text, headers. */
export function jsonCaller(server: () => RunningServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(server().url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
}

/** Polls `GET /v1/sessions/{id}` until `ok(session)` (about 10 s), else fails naming its status. */
export function sessionWaiter(call: ReturnType<typeof jsonCaller>) {
  return async (id: string, ok: (s: any) => boolean) => {
    let s: any;
    for (let i = 0; i < 400; i++) {
      s = (await call('GET', `/v1/sessions/${id}`)).body;
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`session ${id} stayed ${s?.status}`);
  };
}
