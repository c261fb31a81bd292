// A lean SSE subscriber over node:http. It does not JSON.parse frames: the event type, the id and
// the event's `at` are cut out of the frame text, so one runner process can follow 100 streams.
import { request } from 'node:http';

/**
 * Follows `url` (an Aegis event stream). `onEvent({ id, type, at, receivedAt })` runs per frame.
 * Resolves `opened` once the response headers arrived; `close()` ends the connection.
 */
export function subscribe(url, { lastEventId, headers = {}, onEvent }) {
  let req;
  let res;
  const opened = new Promise((resolve, reject) => {
    req = request(
      url,
      {
        headers: {
          accept: 'text/event-stream',
          ...headers,
          ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
        },
      },
      (r) => {
        res = r;
        if (r.statusCode !== 200) {
          reject(new Error(`SSE ${url}: HTTP ${r.statusCode}`));
          r.resume();
          return;
        }
        r.setEncoding('utf8');
        let buf = '';
        r.on('data', (chunk) => {
          buf += chunk;
          let end = buf.indexOf('\n\n');
          if (end < 0) return;
          const receivedAt = Date.now();
          let start = 0;
          while (end >= 0) {
            // Fields are read in place (no per-frame substring or split): at 100 subscribers this
            // reader shares the 2 cores with the server it measures.
            if (buf.charCodeAt(start) !== 58 /* ':' comment */)
              onEvent(parseFrame(buf, start, end, receivedAt));
            start = end + 2;
            end = buf.indexOf('\n\n', start);
          }
          buf = buf.slice(start);
        });
        r.on('error', () => {});
        resolve();
      },
    );
    req.on('error', (err) => reject(err));
    req.end();
  });
  opened.catch(() => {});
  return {
    opened,
    close() {
      res?.destroy();
      req?.destroy();
    },
  };
}

/** Reads `id:`, `event:` and the event's `at` from the frame in `buf` between `start` and `end`. */
function parseFrame(buf, start, end, receivedAt) {
  let id = null;
  let type = null;
  let at = null;
  let line = start;
  while (line < end) {
    let eol = buf.indexOf('\n', line);
    if (eol < 0 || eol > end) eol = end;
    if (buf.startsWith('id:', line)) id = Number(buf.slice(line + 3, eol));
    else if (buf.startsWith('event:', line)) type = buf.slice(line + 6, eol).trim();
    else if (buf.startsWith('data:', line)) {
      const i = buf.indexOf('"at":"', line);
      if (i >= 0 && i < eol) at = Date.parse(buf.slice(i + 6, buf.indexOf('"', i + 6)));
    }
    line = eol + 1;
  }
  return { id, type, at, receivedAt };
}
