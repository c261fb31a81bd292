// Runs one Aegis server in its own process so the benchmark can measure its RSS and CPU alone.
// Usage: node --expose-gc server-proc.mjs '<ServerConfigInput as JSON>'. Prints `READY <url>`.
// SIGUSR2 runs a full GC (so idle-memory figures are not garbage waiting to be collected).
// Started as `ag serve` starts it: V8's young generation is held small while the server loads.
import { holdYoungGeneration, releaseYoungGeneration } from '@aegis/server/young-generation';

holdYoungGeneration();
const { startServer } = await import('@aegis/server');
const config = JSON.parse(process.argv[2] ?? '{}');
const server = await startServer({ ignoreEnv: true, config: { port: 0, logLevel: 'error', ...config } });
releaseYoungGeneration();
process.on('SIGUSR2', () => globalThis.gc?.());
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`READY ${server.url}\n`);
