/** One SSE frame as the tests look at it: its `id:` and `event:` lines. */
export interface FrameId {
  id: number;
  type: string;
}

/** Reads SSE frames from `url` until `enough` says so (or 20 s pass), then closes the stream. */
export async function readFrames(
  url: string,
  enough: (frames: FrameId[]) => boolean,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<FrameId[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const out: FrameId[] = [];
  let buf = '';
  try {
    while (!enough(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const type = /^event: (.+)$/m.exec(block)?.[1];
        if (id && type) out.push({ id: Number(id), type });
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}
