import { PassThrough } from 'node:stream';
import type { AgentEventBody } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { client, methods } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { agentStream } from './agent-stream.js';
import { AcpTranslator, fastUpdate } from './translate.js';

function harness(intercept?: (m: Record<string, unknown>) => boolean, maxLineBytes?: number) {
  const stdout = new PassThrough();
  const stdin = new PassThrough();
  const garbage: string[] = [];
  const tooLarge: number[] = [];
  const stream = agentStream(stdout, stdin, {
    onGarbage: (line) => garbage.push(line),
    onTooLarge: (bytes) => tooLarge.push(bytes),
    intercept,
    maxLineBytes,
  });
  const reader = stream.readable.getReader();
  const readAll = async () => {
    const out: unknown[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return out;
      out.push(value);
    }
  };
  return { stdout, stdin, stream, garbage, tooLarge, readAll };
}

describe('agentStream', () => {
  it('parses lines split anywhere across chunks, multi-byte characters included', async () => {
    const h = harness();
    const text = `${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { t: 'héllo ✓ 🚀' } })}\n${JSON.stringify({ jsonrpc: '2.0', method: 'x' })}\n`;
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 3) h.stdout.write(bytes.subarray(i, i + 3));
    h.stdout.end();
    expect(await h.readAll()).toEqual([
      { jsonrpc: '2.0', id: 1, result: { t: 'héllo ✓ 🚀' } },
      { jsonrpc: '2.0', method: 'x' },
    ]);
    expect(h.garbage).toEqual([]);
  });

  it('reports lines that are not JSON objects instead of passing them on, and keeps going', async () => {
    const h = harness();
    h.stdout.write('Debugger attached.\n[1,2]\n\n  \n{"jsonrpc":"2.0","id":2,"result":{}}\n"str"\n');
    h.stdout.end('{"jsonrpc":"2.0","id":3,"result":{}}');
    expect(await h.readAll()).toEqual([
      { jsonrpc: '2.0', id: 2, result: {} },
      { jsonrpc: '2.0', id: 3, result: {} },
    ]);
    expect(h.garbage).toEqual(['Debugger attached.', '[1,2]', '"str"']);
  });

  it('offers every message to intercept in order; taken ones are not passed on', async () => {
    const seen: unknown[] = [];
    const h = harness((m) => {
      seen.push(m.n);
      return (m.n as number) % 2 === 0;
    });
    h.stdout.end(`${[1, 2, 3, 4, 5].map((n) => JSON.stringify({ n })).join('\n')}\n`);
    expect(await h.readAll()).toEqual([{ n: 1 }, { n: 3 }, { n: 5 }]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes a long run of intercepted messages in slices, letting other callbacks run between them', async () => {
    const seen: number[] = [];
    const h = harness((m) => {
      seen.push(m.n as number);
      return true;
    });
    const done = h.readAll();
    h.stdout.write(`${Array.from({ length: 1000 }, (_, n) => JSON.stringify({ n })).join('\n')}\n`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(1000);
    h.stdout.end();
    expect(await done).toEqual([]);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, n) => n));
  });

  it('errors the stream when a line grows past the limit', async () => {
    const h = harness(undefined, 64);
    h.stdout.write(`{"a":"${'x'.repeat(100)}`);
    await expect(h.readAll()).rejects.toThrow(/64 byte limit/);
    expect(h.tooLarge).toEqual([106]);
  });

  it('pauses the agent on a large unread backlog and resumes once it is read', async () => {
    const h = harness();
    const lines = Array.from({ length: 10_000 }, (_, n) => JSON.stringify({ n })).join('\n');
    h.stdout.write(`${lines}\n`);
    await new Promise((r) => setImmediate(r));
    expect(h.stdout.isPaused()).toBe(true);
    h.stdout.end();
    const got = await h.readAll();
    expect(got).toHaveLength(10_000);
    expect(got.at(-1)).toEqual({ n: 9_999 });
  });

  it('writes each outgoing message as one JSON line', async () => {
    const h = harness();
    const writer = h.stream.writable.getWriter();
    await writer.write({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    expect(h.stdin.read()?.toString()).toBe('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n');
  });
});

describe('fast path vs the SDK', () => {
  const note = (update: unknown) => ({
    jsonrpc: '2.0',
    method: 'session/update',
    params: { sessionId: 's', update },
  });
  const updates = [
    { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'a' } },
    {
      sessionUpdate: 'tool_call',
      toolCallId: 't1',
      title: 'Edit',
      kind: 'edit',
      status: 'pending',
      rawInput: { path: 'a.ts', n: [1, 2] },
      content: [
        { type: 'diff', path: 'a.ts', oldText: null, newText: 'x' },
        { type: 'terminal', terminalId: 'term' },
        { type: 'content', content: { type: 'text', text: 'ok' } },
      ],
      locations: [{ path: 'a.ts', line: 3 }, { path: 'b.ts' }],
    },
    {
      sessionUpdate: 'tool_call_update',
      toolCallId: 't1',
      title: null,
      kind: null,
      content: null,
      status: 'in_progress',
    },
    {
      sessionUpdate: 'tool_call_update',
      toolCallId: 't1',
      status: 'completed',
      rawOutput: 'done',
      locations: null,
    },
    { sessionUpdate: 'tool_call', toolCallId: 't2', title: 'odd', kind: 'weird', content: null },
    {
      sessionUpdate: 'tool_call_update',
      toolCallId: 't2',
      status: 'failed',
      locations: [{ path: 'a', line: -1 }],
    },
    { sessionUpdate: 'agent_thought_chunk', messageId: 'm', content: { type: 'text', text: 'hm' } },
    { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'END' } },
  ];

  /** Feeds `updates` through a real SDK connection, with or without the fast path. */
  async function translated(fast: boolean) {
    const stdout = new PassThrough();
    const translator = new AcpTranslator(() => 'id');
    const out: AgentEventBody[] = [];
    const onUpdate = (u: acp.SessionUpdate): void => {
      out.push(...translator.translate(u));
    };
    const stream = agentStream(stdout, new PassThrough(), {
      onGarbage: () => {},
      onTooLarge: () => {},
      intercept: fast
        ? (m) => {
            const u = fastUpdate(m);
            if (u) onUpdate(u);
            return !!u;
          }
        : undefined,
    });
    const connection = client({ name: 'test' })
      .onNotification(methods.client.session.update, ({ params }) => onUpdate(params.update))
      .connect(stream);
    stdout.write(`${updates.map((u) => JSON.stringify(note(u))).join('\n')}\n`);
    const deadline = Date.now() + 5000;
    while (!out.some((e) => e.type === 'message.delta' && e.data.text === 'END') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    connection.close();
    return out;
  }

  it('translates every update exactly as the validated SDK path does', async () => {
    const viaSdk = await translated(false);
    expect(viaSdk.map((e) => e.type)).toContain('tool.completed');
    expect(await translated(true)).toEqual(viaSdk);
  });
});
