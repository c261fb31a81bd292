// The baseline for HTTP read latency: a bare Node HTTP server answering every GET with the bytes of
// one file (a page captured from Aegis), in its own process as the Aegis server is. Usage:
// node bare-page-server.mjs <file>. Prints `READY <url>`; stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`),
);
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
