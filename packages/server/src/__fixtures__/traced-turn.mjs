// Runs one scripted turn through a real server with tracing off and prints what was loaded and
// exported: proof that tracing off loads no OpenTelemetry SDK and sends no spans.
// Usage: node traced-turn.mjs <disabled|unset|on> (`on`: the same run with tracing on, as a control)
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.add(url));
port1.unref();
register('./record-imports.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const { startServer, createLogger } = await import('../../dist/index.js');
const { SCRIPTED_AGENT_BIN, startOtlpReceiver } = await import('@aegis/testkit');
const { trace } = await import('@opentelemetry/api');

const otlp = await startOtlpReceiver();
const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-tracing-off-')));
mkdirSync(join(root, 'work'));
const mode = process.argv[2];
const server = await startServer({
  ignoreEnv: true,
  logger: createLogger('error', { isTTY: false, write: () => true }),
  config: {
    host: '127.0.0.1',
    port: 0,
    stateDir: join(root, 'state'),
    allowedWorkDirs: [join(root, 'work')],
    agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
    defaultAgent: 'scripted',
    ...(mode === 'disabled' ? { tracing: { endpoint: otlp.url, enabled: false } } : {}),
    ...(mode === 'on' ? { tracing: { endpoint: otlp.url } } : {}),
  },
});
const res = await fetch(`${server.url}/v1/sessions`, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
  body: JSON.stringify({ workDir: join(root, 'work'), prompt: 'hello' }),
});
const { session } = await res.json();
for (let i = 0; i < 400; i++) {
  const s = await (await fetch(`${server.url}/v1/sessions/${session.id}`)).json();
  if (s.status === 'idle' && s.queuedPrompts === 0 && s.lastSeq > 5) break;
  await new Promise((r) => setTimeout(r, 25));
}
const spanFromApi = trace.getTracer('probe').startSpan('probe');
await server.close();
await new Promise((r) => setTimeout(r, 300));
await otlp.close();
process.stdout.write(
  `${JSON.stringify({
    status: res.status,
    otelModules: [
      ...new Set(
        [...loaded]
          .map((u) => u.replace(/^.*node_modules\//, ''))
          .filter((m) => m.startsWith('@opentelemetry/'))
          .map((m) => m.split('/').slice(0, 2).join('/')),
      ),
    ].sort(),
    tracing: server.tracing === null ? null : 'running',
    exportRequests: otlp.requests,
    recording: spanFromApi.isRecording(),
  })}\n`,
);
