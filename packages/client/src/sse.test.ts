import { describe, expect, it } from 'vitest';
import { parseSse } from './sse.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('parseSse', () => {
  it('parses frames split across chunks, skipping comments', async () => {
    const frames = [];
    for await (const f of parseSse(
      streamOf(': hi\n\nid: 1\nevent: a\nda', 'ta: {"x":1}\n\nid: 2\ndata: l1\ndata: l2\n\n'),
    )) {
      frames.push(f);
    }
    expect(frames).toEqual([
      { id: '1', event: 'a', data: '{"x":1}' },
      { id: '2', event: 'message', data: 'l1\nl2' },
    ]);
  });

  it('handles CRLF line endings and multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('id: 7\r\ndata: héllo ✓\r\n\r\n');
    const cut = 14;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut));
        c.close();
      },
    });
    const frames = [];
    for await (const f of parseSse(stream)) frames.push(f);
    expect(frames).toEqual([{ id: '7', event: 'message', data: 'héllo ✓' }]);
  });
});
