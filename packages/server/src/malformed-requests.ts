import type { Duplex } from 'node:stream';

/**
 * Requests Node rejects before any route sees them (oversized headers or URL, malformed HTTP) get
 * the same JSON error envelope as everything else instead of Node's bare status line.
 */
export function answerMalformedRequests(server: {
  on(event: 'clientError', fn: (err: NodeJS.ErrnoException, socket: Duplex) => void): unknown;
}): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? {
            code: 'PAYLOAD_TOO_LARGE',
            message: 'The request line or headers are too large (16 KiB at most).',
          }
        : { code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1.' },
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
