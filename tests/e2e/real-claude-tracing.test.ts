/**
 * Tracing end to end: the REAL Claude Code adapter runs one turn (a Write that asks permission,
 * approved over the API) in a server exporting spans over OTLP/HTTP to a real local receiver; the
 * caller's traceparent, sent through `@aegis/client`, parents the whole tree.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AegisClient } from '@aegis/client';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideClaudeEnv, type RealStack, startRealStack, tempRoot, until } from './helpers.js';

const restoreEnv = hideClaudeEnv();
const root = tempRoot('claude-tracing');
const CALLER_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';
const CALLER_SPAN = '10f067aa0ba902b8';

let otlp: OtlpReceiver;
let stack: RealStack;
let spans: ReceivedSpan[] = [];
let sessionId = '';
const dir = root.sub('work/trace');

const one = (name: string, where: (s: ReceivedSpan) => boolean = () => true) => {
  const found = spans.filter((s) => s.name === name && where(s));
  if (found.length !== 1)
    throw new Error(`expected one ${name}, got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0] as ReceivedSpan;
};
const inCallerTrace = (s: ReceivedSpan) => s.traceId === CALLER_TRACE;

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  stack = await startRealStack({
    root,
    home: root.sub('home'),
    allowedWorkDirs: [root.sub('work')],
    config: { tracing: { endpoint: otlp.url, serviceName: 'aegis-e2e' } },
  });
  // The orchestrator's client: every request carries its trace context.
  const traced = new AegisClient({
    baseUrl: stack.server.url,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...(init?.headers as Record<string, string>),
          traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
        },
      }),
  });
  const { session } = await traced.createSession({
    workDir: dir,
    prompt: 'create a file named hello.txt containing Hello from Aegis',
  });
  sessionId = session.id;
  await until(
    () => stack.client.getSession(sessionId),
    (s) => s.status === 'permission_prompt',
  );
  await stack.client.approvePermission(sessionId);
  await until(
    () => stack.client.getSession(sessionId),
    (s) => s.status === 'idle' && s.queuedPrompts === 0,
  );
  expect(existsSync(join(dir, 'hello.txt'))).toBe(true);
  await stack.close(); // flushes the exporter
  spans = otlp.spans;
});

afterAll(async () => {
  await otlp?.close();
  root.remove();
  restoreEnv();
});

describe('a real Claude Code turn, traced', () => {
  it("hangs the request, the session create, the agent's start and the turn on the caller's traceparent", () => {
    expect(otlp.refused).toEqual([]);
    const http = one('POST /v1/sessions', inCallerTrace);
    expect(http.parentSpanId).toBe(CALLER_SPAN);
    expect(http.attributes['http.response.status_code']).toBe(201);
    const create = one('aegis.session.create', inCallerTrace);
    expect(create.parentSpanId).toBe(http.spanId);
    expect(create.attributes['aegis.session.id']).toBe(sessionId);
    expect(create.attributes['aegis.agent']).toBe('claude-code');
    expect(one('acp initialize', inCallerTrace).parentSpanId).toBe(create.spanId);
    expect(one('acp session/new', inCallerTrace).parentSpanId).toBe(create.spanId);
    const turn = one('aegis.turn', inCallerTrace);
    expect(turn.parentSpanId).toBe(create.spanId);
    expect(turn.attributes['aegis.turn.stop_reason']).toBe('end_turn');
    expect(turn.resource['service.name']).toBe('aegis-e2e');
  });

  it('puts the ACP prompt and the Write tool under the turn, and the permission wait under the tool', () => {
    const turn = one('aegis.turn', inCallerTrace);
    expect(one('acp session/prompt', inCallerTrace).parentSpanId).toBe(turn.spanId);
    const tools = spans.filter((s) => s.name === 'aegis.tool' && inCallerTrace(s));
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.parentSpanId === turn.spanId)).toBe(true);
    const wait = one('aegis.permission.wait', inCallerTrace);
    const tool = tools.find((t) => t.spanId === wait.parentSpanId);
    expect(tool?.attributes['aegis.tool.status']).toBe('completed');
    expect(wait.attributes).toMatchObject({
      'aegis.wait.outcome': 'selected',
      'aegis.permission.option_kind': 'allow_once',
      'aegis.decided_by.type': 'human',
    });
  });
});
