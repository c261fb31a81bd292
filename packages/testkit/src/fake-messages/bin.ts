#!/usr/bin/env node
import { startFakeMessagesApi } from './server.js';

function usage(): never {
  process.stderr.write(
    'usage: aegis-fake-messages [--port N] [--host H] [--chunk-delay MS] [--log]\n' +
      'Serves a local stand-in for the Anthropic Messages API and prints its URL.\n',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let port = 0;
let host = '127.0.0.1';
let chunkDelayMs = 0;
let log = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    const v = args[++i];
    if (v === undefined) usage();
    return v;
  };
  if (a === '--port' || a === '-p') port = Number(next());
  else if (a?.startsWith('--port=')) port = Number(a.slice(7));
  else if (a === '--host') host = next();
  else if (a === '--chunk-delay') chunkDelayMs = Number(next());
  else if (a === '--log') log = true;
  else if (a === '--help' || a === '-h') usage();
  else usage();
}
if (!Number.isInteger(port) || port < 0 || port > 65535) usage();

const api = await startFakeMessagesApi({
  port,
  host,
  chunkDelayMs,
  keepBodies: false,
  onRequest: log
    ? (r) =>
        process.stderr.write(
          `${r.method} ${r.url} kind=${r.kind}${r.rule ? ` rule=${r.rule}` : ''} stream=${r.stream} -> ${r.status}\n`,
        )
    : undefined,
});
process.stdout.write(`${api.url}\n`);
const stop = () => {
  api.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
