import { AegisClient } from '@aegis/client';
import { describe, expect, it } from 'vitest';

/** The dashboard's event streams authenticate with a fresh single-use token per connection, never the key. */
describe('streamSessionEvents with sseToken', () => {
  it('mints a token per (re)connection, sends it as ?token= and no Authorization header', async () => {
    const seen: { url: string; auth: string | null; last: string | null }[] = [];
    let n = 0;
    const fetchFn = (async (url: URL | string, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      seen.push({ url: String(url), auth: h.get('authorization'), last: h.get('last-event-id') });
      const seq = ++n;
      const body = `id: ${seq}\nevent: turn.started\ndata: ${JSON.stringify({ seq, id: seq, type: 'turn.started' })}\n\n`;
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
    const client = new AegisClient({ baseUrl: 'http://x', token: 'aegis_secret_key', fetch: fetchFn });
    let minted = 0;
    const ctrl = new AbortController();
    const got: number[] = [];
    for await (const e of client.streamSessionEvents('s1', {
      signal: ctrl.signal,
      retryMs: 1,
      sseToken: async () => `tok${++minted}`,
    })) {
      got.push(e.seq);
      if (got.length === 2) ctrl.abort();
    }
    expect(got).toEqual([1, 2]);
    expect(seen.map((s) => s.url)).toEqual([
      'http://x/v1/sessions/s1/events?token=tok1',
      'http://x/v1/sessions/s1/events?token=tok2',
    ]);
    expect(seen.every((s) => s.auth === null)).toBe(true);
    expect(seen.map((s) => s.last)).toEqual(['0', '1']);
    expect(seen.some((s) => s.url.includes('aegis_secret_key'))).toBe(false);
  });
});
