// The SSE routes over a real Node server, where frames are written straight to the response.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from '../auth/__fixtures__/attack-server.js';

let s: Booted;
let id: string;

beforeAll(async () => {
  s = await boot();
  mkdirSync(join(s.work, 'sse'));
  const created = await s.call('POST', '/v1/sessions', { body: { workDir: join(s.work, 'sse') } });
  expect(created.status).toBe(201);
  id = created.body.session.id;
});
afterAll(() => s.server.close());

/** Reads frames from `url` until `until` returns true for one; then closes the connection. */
async function frames(url: string, headers: Record<string, string>, until: (f: Frame) => boolean) {
  const res = await fetch(url, { headers });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const got: Frame[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { res, got };
    buf += decoder.decode(value, { stream: true });
    let end = buf.indexOf('\n\n');
    while (end >= 0) {
      const text = buf.slice(0, end);
      buf = buf.slice(end + 2);
      end = buf.indexOf('\n\n');
      if (text.startsWith(':')) continue;
      const field = (name: string) =>
        text
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const frame = {
        id: Number(field('id')),
        type: field('event') ?? '',
        data: JSON.parse(field('data') ?? 'null'),
      };
      got.push(frame);
      if (until(frame)) {
        await reader.cancel();
        return { res, got };
      }
    }
  }
}
interface Frame {
  id: number;
  type: string;
  data: { seq: number; type: string; data: { messageId?: string; text?: string } };
}

describe('GET /v1/sessions/{id}/events on a real server', () => {
  it('replays, then streams a 2,000-chunk turn live: every seq once, in order, ids = seqs', async () => {
    const { lastSeq } = (await s.call('GET', `/v1/sessions/${id}`)).body;
    const url = `${s.server.url}/v1/sessions/${id}/events`;
    const done = frames(url, { 'x-request-id': 'sse-test-1' }, (f) => f.type === 'turn.completed');
    // Opened before the send, so the turn's events arrive live (after the replayed ones).
    await new Promise((r) => setTimeout(r, 100));
    const sent = await s.call('POST', `/v1/sessions/${id}/send`, {
      body: { text: script({ chunksBulk: 2000 }) },
    });
    expect(sent.status).toBe(202);
    const { res, got } = await done;
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-request-id')).toBe('sse-test-1');
    expect(got.map((f) => f.id)).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    expect(got.every((f) => f.id === f.data.seq && f.type === f.data.type)).toBe(true);
    // Chunks that arrive together are stored and sent as one delta: the same text, in fewer events.
    const deltas = got.filter((f) => f.type === 'message.delta');
    expect(deltas.map((f) => f.data.data.text).join('')).toBe('x'.repeat(2000));
    expect(deltas.length).toBeLessThan(2000);
    expect(got.at(-1)?.id).toBeGreaterThan(lastSeq);
  });

  it('resumes after Last-Event-ID with no gap and no repeat', async () => {
    const { lastSeq } = (await s.call('GET', `/v1/sessions/${id}`)).body;
    const { got } = await frames(
      `${s.server.url}/v1/sessions/${id}/events`,
      { 'last-event-id': String(lastSeq - 5) },
      (f) => f.id === lastSeq,
    );
    expect(got.map((f) => f.id)).toEqual([1, 2, 3, 4, 5].map((k) => lastSeq - 5 + k));
  });

  it('joins message chunks that arrive together: same text, same order, transcript unchanged, resume gap-free', async () => {
    const { lastSeq } = (await s.call('GET', `/v1/sessions/${id}`)).body;
    const url = `${s.server.url}/v1/sessions/${id}/events`;
    const live = frames(url, { 'last-event-id': String(lastSeq) }, (f) => f.type === 'turn.completed');
    await new Promise((r) => setTimeout(r, 100));
    const sent = await s.call('POST', `/v1/sessions/${id}/send`, {
      body: {
        text: script(
          { chunksBulk: 1500 },
          { tool: { title: 'Read a', kind: 'read', output: 'ok' } },
          { say: 'after the tool', chunks: 4 },
          { think: 'hm' },
          { chunksBulk: 500 },
        ),
      },
    });
    expect(sent.status).toBe(202);
    const { got } = await live;
    // Every seq once, in order, starting right after where the subscriber was.
    expect(got.map((f) => f.id)).toEqual(Array.from({ length: got.length }, (_, i) => lastSeq + 1 + i));
    // Per message, the deltas' texts in order are what the agent sent; messages do not mix.
    const texts = new Map<string, string>();
    const order: string[] = [];
    for (const f of got.filter((g) => g.type === 'message.delta')) {
      const m = f.data.data.messageId as string;
      if (!texts.has(m)) order.push(m);
      texts.set(m, (texts.get(m) ?? '') + f.data.data.text);
    }
    expect(order.map((m) => texts.get(m))).toEqual(['x'.repeat(1500), 'after the tool', 'x'.repeat(500)]);
    // No delta of a message comes after the tool that followed it in the script.
    const toolAt = got.findIndex((f) => f.type.startsWith('tool.'));
    const lastOfFirst = got.findLastIndex(
      (f) => f.type === 'message.delta' && f.data.data.messageId === order[0],
    );
    expect(lastOfFirst).toBeLessThan(toolAt);
    // The transcript has each message whole, as it had before deltas were joined.
    const page = await s.call('GET', `/v1/sessions/${id}/transcript/cursor?limit=10`);
    const assistant = (page.body.messages as { role: string; text: string }[])
      .filter((m) => m.role === 'assistant')
      .map((m) => m.text);
    expect(assistant.slice(-3)).toEqual(['x'.repeat(1500), 'after the tool', 'x'.repeat(500)]);
    // A subscriber resuming from the middle of the joined deltas gets the rest, no gap, no repeat.
    const from = got[Math.floor(got.length / 2)]!.id;
    const end = got.at(-1)!.id;
    const resumed = await frames(url, { 'last-event-id': String(from) }, (f) => f.id === end);
    expect(resumed.got.map((f) => f.id)).toEqual(Array.from({ length: end - from }, (_, i) => from + 1 + i));
  });

  it('stops writing to a subscriber that went away, and keeps serving the others', async () => {
    const { lastSeq } = (await s.call('GET', `/v1/sessions/${id}`)).body;
    await frames(`${s.server.url}/v1/sessions/${id}/events`, {}, (f) => f.id === 1);
    const again = await frames(`${s.server.url}/v1/sessions/${id}/events`, {}, (f) => f.id === lastSeq);
    expect(again.got).toHaveLength(lastSeq);
  });

  it('keeps x-request-id on JSON answers and errors served by Node', async () => {
    const ok = await s.call('GET', `/v1/sessions/${id}`, { headers: { 'x-request-id': 'json-1' } });
    expect(ok.headers.get('x-request-id')).toBe('json-1');
    const missing = await s.call('GET', '/v1/sessions/nope', { headers: { 'x-request-id': 'err-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('err-1');
  });
});
