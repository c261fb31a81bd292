// Tracing through a real server: the scripted agent (a real child process) runs turns, the
// OpenTelemetry SDK exports over OTLP/HTTP to a real local receiver, and the span tree is read
// back from the decoded export requests.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  SCRIPTED_AGENT_BIN,
  script,
  startOtlpReceiver,
} from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonCaller, sessionWaiter } from './__fixtures__/json-calls.js';
import { resolveConfig, type ServerConfigInput } from './config.js';
import { configFromEnv } from './config-env.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';
import { tracesUrlOf } from './tracing-config.js';

/** One millisecond in nanoseconds: the resolution of a span's start anchor. */
const MS = 1_000_000n;

vi.setConfig({ testTimeout: 60_000 });

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const SEND_TRACE = '0af7651916cd43dd8448eb211c80319c';
const SEND_SPAN = 'b7ad6b7169203331';

function fixture(tracing: () => ServerConfigInput['tracing']) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-tracing-')));
  mkdirSync(join(root, 'work'));
  const lines: Record<string, any>[] = [];
  const stream = {
    isTTY: false,
    write: (text: string) => {
      for (const l of text.split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const ctx = { server: undefined as unknown as RunningServer };
  const call = jsonCaller(() => ctx.server);
  const waitFor = sessionWaiter(call);
  return {
    root,
    lines,
    ctx,
    call,
    waitFor,
    start: async () => {
      ctx.server = await startServer({
        ignoreEnv: true,
        logger: createLogger('info', stream),
        config: {
          host: '127.0.0.1',
          port: 0,
          stateDir: join(root, 'state'),
          dbPath: join(root, 'state', 'aegis.db'),
          allowedWorkDirs: [join(root, 'work')],
          agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
          defaultAgent: 'scripted',
          tracing: tracing(),
        } as Partial<ServerConfigInput>,
      });
    },
  };
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: ReceivedSpan[], name: string, where: (s: ReceivedSpan) => boolean = () => true) => {
  const found = spans.filter((s) => s.name === name && where(s));
  if (found.length !== 1)
    throw new Error(`expected one ${name}, got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0] as ReceivedSpan;
};

describe('tracing on: one turn of the scripted agent, exported over OTLP/HTTP', () => {
  let otlp: OtlpReceiver;
  const f = fixture(() => ({ endpoint: otlp.url, serviceName: 'aegis-under-test' }));
  let sessionId = '';
  let spans: ReceivedSpan[] = [];

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    await f.start();
    const dir = join(f.root, 'work', 'turn');
    mkdirSync(dir);
    // Turn 1, created with the caller's traceparent: a tool that asks permission, approved over the API.
    const created = await f.call(
      'POST',
      '/v1/sessions',
      {
        workDir: dir,
        prompt: script(
          { say: 'writing' },
          {
            tool: {
              title: 'Write a.txt',
              kind: 'edit',
              permission: true,
              write: { path: 'a.txt', content: 'x' },
            },
          },
          { tokens: { input: 120, output: 30 } },
          { say: 'done' },
        ),
      },
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    );
    expect(created.status).toBe(201);
    sessionId = created.body.session.id;
    await f.waitFor(sessionId, (s) => s.status === 'permission_prompt');
    expect((await f.call('POST', `/v1/sessions/${sessionId}/approve`, {})).status).toBe(200);
    await f.waitFor(sessionId, (s) => s.status === 'idle' && s.queuedPrompts === 0);
    // Turn 2, sent with another traceparent: the agent asks a question, answered over the API.
    const sent = await f.call(
      'POST',
      `/v1/sessions/${sessionId}/send`,
      { text: script({ ask: { question: 'Which colour?', options: ['red', 'blue'] } }) },
      { traceparent: `00-${SEND_TRACE}-${SEND_SPAN}-01` },
    );
    expect(sent.status).toBeLessThan(300);
    await f.waitFor(sessionId, (s) => s.status === 'asking');
    expect((await f.call('POST', `/v1/sessions/${sessionId}/answer`, { answer: 'blue' })).status).toBe(200);
    await f.waitFor(sessionId, (s) => s.status === 'idle' && s.queuedPrompts === 0);
    // Turn 3, with a malformed traceparent: accepted, and traced as a new trace.
    const malformed = await f.call(
      'POST',
      `/v1/sessions/${sessionId}/send`,
      { text: 'hello' },
      { traceparent: '00-not-a-trace-context-01' },
    );
    expect(malformed.status).toBeLessThan(300);
    await f.waitFor(sessionId, (s) => s.status === 'idle' && s.queuedPrompts === 0);
    await f.ctx.server.close(); // flushes the batch span processor
    spans = otlp.spans;
  });
  afterAll(async () => {
    await otlp?.close();
  });

  it('exports OTLP/protobuf (the default encoding) the receiver decodes, with the configured service name', () => {
    expect(otlp.refused).toEqual([]);
    expect(otlp.encodings).toMatchObject({ protobuf: expect.any(Number), json: 0 });
    expect(otlp.encodings.protobuf).toBeGreaterThan(0);
    expect(spans.length).toBeGreaterThan(10);
    expect(new Set(spans.map((s) => s.resource['service.name']))).toEqual(new Set(['aegis-under-test']));
  });

  it("parents the create request, the session create and the first turn on the caller's traceparent", () => {
    const http = one(spans, 'POST /v1/sessions', (s) => s.traceId === CALLER_TRACE);
    expect(http.parentSpanId).toBe(CALLER_SPAN);
    expect(http.kind).toBe(2);
    expect(http.attributes).toMatchObject({
      'http.route': '/v1/sessions',
      'http.request.method': 'POST',
      'http.response.status_code': 201,
    });
    expect(typeof http.attributes['aegis.request_id']).toBe('string');
    const create = one(spans, 'aegis.session.create', (s) => s.traceId === CALLER_TRACE);
    expect(create.parentSpanId).toBe(http.spanId);
    expect(create.attributes['aegis.session.id']).toBe(sessionId);
    const acpNew = one(spans, 'acp session/new', (s) => s.traceId === CALLER_TRACE);
    expect(acpNew.parentSpanId).toBe(create.spanId);
    expect(acpNew.kind).toBe(3);
    const turn = one(spans, 'aegis.turn', (s) => s.traceId === CALLER_TRACE);
    expect(turn.parentSpanId).toBe(create.spanId);
    expect(turn.attributes).toMatchObject({
      'aegis.session.id': sessionId,
      'aegis.turn.stop_reason': 'end_turn',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
    });
  });

  it('puts the ACP prompt and the tool call under the turn, and the permission wait under the tool, saying who answered', () => {
    const turn = one(spans, 'aegis.turn', (s) => s.traceId === CALLER_TRACE);
    const prompt = one(spans, 'acp session/prompt', (s) => s.traceId === CALLER_TRACE);
    expect(prompt.parentSpanId).toBe(turn.spanId);
    expect(prompt.attributes['rpc.method']).toBe('session/prompt');
    const tool = one(spans, 'aegis.tool', (s) => s.traceId === CALLER_TRACE);
    expect(tool.parentSpanId).toBe(turn.spanId);
    expect(tool.attributes).toMatchObject({
      'aegis.tool.title': 'Write a.txt',
      'aegis.tool.status': 'completed',
    });
    const wait = one(spans, 'aegis.permission.wait', (s) => s.traceId === CALLER_TRACE);
    expect(wait.parentSpanId).toBe(tool.spanId);
    expect(wait.attributes).toMatchObject({
      'aegis.wait.outcome': 'selected',
      'aegis.permission.option_kind': 'allow_once',
      'aegis.decided_by.type': 'human',
      'aegis.decided_by.actor': 'local',
    });
    // Children lie within their parents' time. The SDK anchors each span on Date.now() (whole
    // milliseconds) and times it with performance.now(), so two spans' clocks can differ by up to
    // 1 ms: a tool that ends in the same millisecond as its turn may appear to end after it.
    const within = (child: typeof tool, parent: typeof tool) =>
      child.startNs >= parent.startNs - MS && child.endNs <= parent.endNs + MS;
    expect(within(wait, tool)).toBe(true);
    expect(within(tool, turn)).toBe(true);
  });

  it("parents a sent message's turn on that request's traceparent, with the question wait and its answerer", () => {
    const http = one(spans, 'POST /v1/sessions/:id/send', (s) => s.traceId === SEND_TRACE);
    expect(http.parentSpanId).toBe(SEND_SPAN);
    expect(http.attributes['http.route']).toBe('/v1/sessions/:id/send');
    const turn = one(spans, 'aegis.turn', (s) => s.traceId === SEND_TRACE);
    expect(turn.parentSpanId).toBe(http.spanId);
    const wait = one(spans, 'aegis.question.wait', (s) => s.traceId === SEND_TRACE);
    const tool = one(spans, 'aegis.tool', (s) => s.traceId === SEND_TRACE);
    expect(wait.parentSpanId).toBe(tool.spanId);
    expect(wait.attributes).toMatchObject({
      'aegis.wait.outcome': 'answered',
      'aegis.decided_by.type': 'human',
    });
    // The answer request is its own trace (no traceparent), not part of the turn's.
    const answer = one(spans, 'POST /v1/sessions/:id/answer');
    expect(answer.traceId).not.toBe(SEND_TRACE);
    expect(answer.parentSpanId).toBe('');
  });

  it('ignores a malformed traceparent: the request is served and starts a new trace', () => {
    const sends = named(spans, 'POST /v1/sessions/:id/send').filter((s) => s.traceId !== SEND_TRACE);
    expect(sends).toHaveLength(1);
    const http = sends[0] as ReceivedSpan;
    expect(http.parentSpanId).toBe('');
    expect(http.traceId).toMatch(/^[0-9a-f]{32}$/);
    const turn = one(spans, 'aegis.turn', (s) => s.traceId === http.traceId);
    expect(turn.parentSpanId).toBe(http.spanId);
  });

  it('records store write batches as root spans linked to the spans that wrote', () => {
    const batches = named(spans, 'aegis.store.write_batch');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.parentSpanId === '' && b.attributes['db.system'] === 'sqlite')).toBe(true);
    const turn = one(spans, 'aegis.turn', (s) => s.traceId === CALLER_TRACE);
    const linked = batches.flatMap((b) => b.links.map((l) => l.traceId));
    expect(linked).toContain(turn.traceId);
  });

  it('writes the trace id on the request log lines', () => {
    const http = one(spans, 'POST /v1/sessions', (s) => s.traceId === CALLER_TRACE);
    const line = f.lines.find(
      (l) => l.msg === 'request' && l.requestId === http.attributes['aegis.request_id'],
    );
    expect(line?.traceId).toBe(CALLER_TRACE);
  });
});

describe('tracing with protocol http/json', () => {
  let otlp: OtlpReceiver;
  const f = fixture(() => ({ endpoint: otlp.url, protocol: 'http/json' }));
  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    await f.start();
  });
  afterAll(async () => {
    await otlp?.close();
  });

  it('exports the same spans as OTLP/JSON', async () => {
    const dir = join(f.root, 'work', 'json');
    mkdirSync(dir);
    const created = await f.call('POST', '/v1/sessions', { workDir: dir, prompt: script({ say: 'hi' }) });
    expect(created.status).toBe(201);
    await f.waitFor(created.body.session.id, (s) => s.status === 'idle' && s.queuedPrompts === 0);
    await f.ctx.server.close();
    expect(otlp.refused).toEqual([]);
    expect(otlp.encodings).toMatchObject({ protobuf: 0 });
    expect(otlp.encodings.json).toBeGreaterThan(0);
    expect(named(otlp.spans, 'aegis.turn')).toHaveLength(1);
    expect(named(otlp.spans, 'POST /v1/sessions')).toHaveLength(1);
  });
});

describe('tracing configuration', () => {
  it('turns on from OTEL_EXPORTER_OTLP_ENDPOINT with the standard service name and sampler variables', () => {
    const config = resolveConfig(
      configFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_SERVICE_NAME: 'ops-aegis',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    );
    expect(config.tracing).toMatchObject({
      endpoint: 'http://collector:4318/',
      serviceName: 'ops-aegis',
      sampler: 'parentbased_traceidratio',
      samplerArg: 0.25,
      protocol: 'http/protobuf',
    });
  });

  it('takes the encoding from OTEL_EXPORTER_OTLP_PROTOCOL, the traces-only variable winning', () => {
    const protocol = (env: Record<string, string>) => resolveConfig(configFromEnv(env)).tracing.protocol;
    expect(protocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe('http/json');
    expect(protocol({ OTEL_EXPORTER_OTLP_PROTOCOL: ' HTTP/JSON ' })).toBe('http/json');
    expect(
      protocol({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }),
    ).toBe('http/protobuf');
    expect(resolveConfig({ tracing: { protocol: 'http/json' } }).tracing.protocol).toBe('http/json');
  });

  it('lets the environment complete the config file and OTEL_SDK_DISABLED turn it off', () => {
    const file = { tracing: { endpoint: 'http://file:4318', serviceName: 'from-file' } };
    const merged = resolveConfig(file, configFromEnv({ OTEL_SERVICE_NAME: 'from-env' }));
    expect(merged.tracing).toMatchObject({ endpoint: 'http://file:4318', serviceName: 'from-env' });
    expect(resolveConfig(file, configFromEnv({ OTEL_SDK_DISABLED: 'true' })).tracing.enabled).toBe(false);
  });

  it('OTEL_TRACES_EXPORTER=none keeps tracing off with an endpoint; otlp leaves it on', () => {
    const urlWith = (env: Record<string, string>) =>
      tracesUrlOf(
        resolveConfig(configFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', ...env }))
          .tracing,
      );
    expect(urlWith({})).toBe('http://collector:4318/v1/traces');
    expect(urlWith({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe('http://collector:4318/v1/traces');
    expect(urlWith({ OTEL_TRACES_EXPORTER: ' None ' })).toBeNull();
    expect(
      tracesUrlOf(resolveConfig({ tracing: { endpoint: 'http://c:4318', exporter: 'none' } }).tracing),
    ).toBeNull();
  });

  it.each([
    [
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      /tracing\.sampler \(environment variable OTEL_TRACES_SAMPLER\): must be one of always_on/,
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      /tracing\.endpoint \(environment variable OTEL_EXPORTER_OTLP_ENDPOINT\): must be an http\(s\) URL/,
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      /tracing\.protocol \(environment variable OTEL_EXPORTER_OTLP_PROTOCOL\): grpc is not offered: use http\/protobuf \(the OTLP\/HTTP port, usually 4318\) or http\/json/,
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' },
      /tracing\.protocol \(environment variable OTEL_EXPORTER_OTLP_PROTOCOL\): must be one of http\/protobuf, http\/json/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'zipkin' },
      /tracing\.exporter \(environment variable OTEL_TRACES_EXPORTER\): must be otlp or none \(OTEL_TRACES_EXPORTER\): Aegis sends spans over OTLP\/HTTP only; for zipkin, point OTEL_EXPORTER_OTLP_ENDPOINT at an OpenTelemetry Collector that exports to it/,
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp,console' },
      /tracing\.exporter \(environment variable OTEL_TRACES_EXPORTER\): must be otlp or none/,
    ],
    [
      { OTEL_TRACES_SAMPLER_ARG: '2' },
      /tracing\.samplerArg \(environment variable OTEL_TRACES_SAMPLER_ARG\): must be a number from 0 to 1/,
    ],
  ])('refuses bad settings with the variable named: %o', (env, message) => {
    expect(() => resolveConfig(configFromEnv(env))).toThrow(message);
  });

  it('refuses tracing.enabled without an endpoint, saying what to set', () => {
    expect(() => resolveConfig({ tracing: { enabled: true } })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('tracing off', () => {
  // A fresh process per run, so what it loads is its own (vitest's workers load the SDK for the tests above).
  const run = (mode: 'unset' | 'disabled' | 'on') => {
    const fixture = fileURLToPath(new URL('./__fixtures__/traced-turn.mjs', import.meta.url));
    const out = spawnSync(process.execPath, [fixture, mode], { encoding: 'utf8', timeout: 60_000 });
    if (out.status !== 0) throw new Error(`traced-turn.mjs ${mode} failed: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}');
  };

  it.each(['unset', 'disabled'] as const)(
    'loads no OpenTelemetry SDK and exports nothing (tracing %s, a turn run with a traceparent)',
    (mode) => {
      expect(run(mode)).toEqual({
        status: 201,
        otelModules: ['@opentelemetry/api'],
        tracing: null,
        exportRequests: 0,
        recording: false,
      });
    },
  );

  it('control: the same run with tracing on loads the SDK and exports', () => {
    const on = run('on');
    expect(on.otelModules).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node']));
    expect(on.exportRequests).toBeGreaterThan(0);
    expect(on.recording).toBe(true);
  });
});
