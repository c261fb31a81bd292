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
            const frame = buf.slice(start, end);
            start = end + 2;
            end = buf.indexOf('\n\n', start);
            if (frame.startsWith(':')) continue;
            onEvent(parseFrame(frame, receivedAt));
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

function parseFrame(frame, receivedAt) {
  let id = null;
  let type = null;
  let at = null;
  for (const line of frame.split('\n')) {
    if (line.startsWith('id:')) id = Number(line.slice(3).trim());
    else if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) {
      const i = line.indexOf('"at":"');
      if (i >= 0) at = Date.parse(line.slice(i + 6, line.indexOf('"', i + 6)));
    }
  }
  return { id, type, at, receivedAt };
}
