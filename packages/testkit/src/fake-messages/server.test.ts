import { afterEach, describe, expect, it } from 'vitest';
import { claudeAgentEnv } from './env.js';
import { currentTurn, FAKE_MESSAGES_RULES, findCwd, findTool, planReply } from './rules.js';
import { startFakeMessagesApi } from './server.js';
import type { FakeMessagesApi } from './types.js';

const TOOLS = [{ name: 'Agent' }, { name: 'Bash' }, { name: 'Edit' }, { name: 'Read' }, { name: 'Write' }];
const ENV_MESSAGE = {
  role: 'system',
  content: [
    { type: 'text', text: '# Environment\n - Primary working directory: /tmp/work dir\n - Platform: linux' },
  ],
};

function mainBody(prompt: string, extra: Array<{ role: string; content: unknown }> = [], stream = true) {
  return {
    model: 'claude-opus-5-5',
    stream,
    max_tokens: 1000,
    system: [{ type: 'text', text: 'You are Claude Code.' }],
    tools: TOOLS,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\nsome context\n</system-reminder>\n' },
          { type: 'text', text: prompt },
        ],
      },
      ENV_MESSAGE,
      ...extra,
    ],
  };
}

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim().length > 0)
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

async function post(api: FakeMessagesApi, body: unknown, path = '/v1/messages?beta=true') {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'dummy' },
    body: JSON.stringify(body),
  });
}

function textOf(events: SseEvent[]): string {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { text?: string }).text ?? '')
    .join('');
}

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('prompt rules (pure)', () => {
  it('exports every rule with an id, pattern, example and description', () => {
    expect(FAKE_MESSAGES_RULES.map((r) => r.id)).toEqual([
      'slow',
      'rate-limit',
      'overloaded',
      'write',
      'write-short',
      'bash',
      'ask',
      'say',
      'default',
    ]);
    for (const rule of FAKE_MESSAGES_RULES) expect(rule.pattern.test(rule.example)).toBe(true);
  });

  it('finds the prompt after reminders, the cwd in the env info and tools by name', () => {
    const body = mainBody('say hi');
    expect(currentTurn(body)).toMatchObject({ prompt: 'say hi', toolResults: [] });
    expect(findCwd(body)).toBe('/tmp/work dir');
    expect(findTool([{ name: 'mcp__x__bash_run' }, { name: 'Bash' }], 'Bash')).toBe('Bash');
    expect(findTool([{ name: 'bash' }], 'Bash')).toBe('bash');
    expect(findTool([{ name: 'Read' }], 'Write')).toBeUndefined();
  });

  it('plans Write with an absolute path inside the cwd, then "Created X."', () => {
    const first = planReply(
      { prompt: 'create a file named hello.txt containing Hello from Aegis', toolResults: [] },
      { tools: [{ name: 'MyWrite' }], cwd: '/w', newToolUseId: () => 'toolu_1' },
    );
    expect(first).toMatchObject({
      type: 'message',
      rule: 'write',
      stopReason: 'tool_use',
      blocks: [
        { type: 'text' },
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'MyWrite',
          input: { file_path: '/w/hello.txt', content: 'Hello from Aegis' },
        },
      ],
    });
    const second = planReply(
      { prompt: 'write notes.md: x', toolResults: [{ text: 'ok', isError: false }] },
      { tools: TOOLS, cwd: '/w' },
    );
    expect(second).toMatchObject({
      rule: 'write-short',
      blocks: [{ type: 'text', text: 'Created notes.md.' }],
    });
    const rejected = planReply(
      { prompt: 'write notes.md: x', toolResults: [{ text: 'denied', isError: true }] },
      { tools: TOOLS, cwd: '/w' },
    );
    expect(rejected).toMatchObject({ blocks: [{ type: 'text', text: 'Could not create notes.md: denied' }] });
  });

  it('plans Bash and the summary, slow prefix, say, default and error triggers', () => {
    expect(
      planReply({ prompt: 'run `echo hi`', toolResults: [] }, { tools: TOOLS, cwd: '/w' }),
    ).toMatchObject({
      rule: 'bash',
      blocks: [{ type: 'text' }, { type: 'tool_use', name: 'Bash', input: { command: 'echo hi' } }],
    });
    expect(
      planReply(
        { prompt: 'run `echo hi`', toolResults: [{ text: 'hi', isError: false }] },
        { tools: TOOLS, cwd: '/w' },
      ),
    ).toMatchObject({ blocks: [{ type: 'text', text: 'Ran `echo hi`. Output: hi' }] });
    expect(
      planReply({ prompt: 'slow: 250 say a b c', toolResults: [] }, { tools: TOOLS, cwd: '/w' }),
    ).toMatchObject({
      rule: 'say',
      chunkDelayMs: 250,
      blocks: [{ type: 'text', text: 'a b c' }],
    });
    expect(planReply({ prompt: 'what is up?', toolResults: [] }, { tools: TOOLS, cwd: '/w' })).toMatchObject({
      rule: 'default',
      blocks: [{ type: 'text', text: 'Hello from the local stand-in. You said: what is up?' }],
    });
    expect(
      planReply({ prompt: 'trigger rate limit', toolResults: [] }, { tools: TOOLS, cwd: '/w' }),
    ).toMatchObject({
      type: 'error',
      status: 429,
    });
    expect(
      planReply({ prompt: 'trigger overloaded', toolResults: [] }, { tools: TOOLS, cwd: '/w' }),
    ).toMatchObject({
      type: 'error',
      status: 529,
    });
  });
});

describe('fake Messages API over HTTP', () => {
  it('streams a text reply as SSE in the Messages API event order', async () => {
    api = await startFakeMessagesApi();
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
    const res = await post(api, mainBody('say one two three four five'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names.filter((n) => n === 'content_block_delta').length).toBeGreaterThan(1);
    expect(textOf(events)).toBe('one two three four five');
    const delta = events.find((e) => e.event === 'message_delta')?.data as {
      delta: { stop_reason: string };
      usage: { output_tokens: number };
    };
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBeGreaterThan(0);
    expect(api.requests).toMatchObject([
      {
        path: '/v1/messages',
        url: '/v1/messages?beta=true',
        model: 'claude-opus-5-5',
        stream: true,
        kind: 'main',
      },
    ]);
  });

  it('streams a tool_use with input_json_delta chunks, then a summary after the tool_result', async () => {
    api = await startFakeMessagesApi();
    const events = parseSse(await (await post(api, mainBody('run `echo hi`'))).text());
    const start = events.find(
      (e) =>
        e.event === 'content_block_start' && (e.data.content_block as { type: string }).type === 'tool_use',
    );
    const block = start?.data.content_block as { id: string; name: string };
    expect(block.name).toBe('Bash');
    const json = events
      .filter(
        (e) =>
          e.event === 'content_block_delta' && (e.data.delta as { type: string }).type === 'input_json_delta',
      )
      .map((e) => (e.data.delta as { partial_json: string }).partial_json);
    expect(json.length).toBeGreaterThan(1);
    expect(JSON.parse(json.join(''))).toMatchObject({ command: 'echo hi' });
    expect(
      (events.find((e) => e.event === 'message_delta')?.data.delta as { stop_reason?: string } | undefined)
        ?.stop_reason,
    ).toBe('tool_use');
    const followUp = mainBody('run `echo hi`', [
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: block.id, name: 'Bash', input: { command: 'echo hi' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content: 'hi\n' }] },
    ]);
    expect(textOf(parseSse(await (await post(api, followUp)).text()))).toBe('Ran `echo hi`. Output: hi');
    expect(api.requests.map((r) => [r.rule, r.toolResults])).toEqual([
      ['bash', 0],
      ['bash', 1],
    ]);
  });

  it('answers without streaming as one JSON message', async () => {
    api = await startFakeMessagesApi();
    const res = await post(api, mainBody('say plain', [], false));
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'plain' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it('recognises the title, suggestion and classifier side requests', async () => {
    api = await startFakeMessagesApi();
    const title = await post(api, {
      model: 'm',
      stream: false,
      tools: [],
      system: [{ type: 'text', text: 'You are naming a coding session so the user can pick it out.' }],
      output_config: {
        format: { type: 'json_schema', schema: { properties: { title: { type: 'string' } } } },
      },
      messages: [{ role: 'user', content: '<session>\nsay hi\n</session>' }],
    });
    const titleText = ((await title.json()) as { content: Array<{ text: string }> }).content[0]?.text ?? '';
    expect(JSON.parse(titleText)).toEqual({ title: expect.any(String) });

    await post(api, {
      ...mainBody('say hi'),
      messages: [{ role: 'user', content: '[SUGGESTION MODE: suggest]' }],
    });

    const classifier = await post(api, {
      model: 'claude-sonnet-5',
      system: [{ type: 'text', text: 'You are a security monitor for autonomous AI coding agents.' }],
      messages: [{ role: 'user', content: 'Respond with <severity>N</severity> ONLY.' }],
    });
    const verdict =
      ((await classifier.json()) as { content: Array<{ text: string }> }).content[0]?.text ?? '';
    const severity = Number(/<severity>(\d+)<\/severity>/.exec(verdict)?.[1]);
    expect(severity).toBeLessThan(50);
    expect(api.requests.map((r) => r.kind)).toEqual(['title', 'suggestion', 'classifier']);
  });

  it('sends 429 with retry-after and 529 in the Anthropic error shape', async () => {
    api = await startFakeMessagesApi({ retryAfterSeconds: 3 });
    const limited = await post(api, mainBody('trigger rate limit'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-should-retry')).toBe('false');
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const overloaded = await post(api, mainBody('trigger overloaded'));
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('omits x-should-retry when shouldRetry is true (like the real API)', async () => {
    api = await startFakeMessagesApi({ shouldRetry: true });
    const limited = await post(api, mainBody('trigger rate limit'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('0');
    expect(limited.headers.has('x-should-retry')).toBe(false);
  });

  it('takes the newest prompt block of a merged user message', async () => {
    api = await startFakeMessagesApi();
    const body = mainBody('trigger rate limit\n');
    (body.messages[0]!.content as Array<{ type: string; text: string }>).push({
      type: 'text',
      text: 'say after',
    });
    const res = await post(api, body);
    expect(res.status).toBe(200);
    expect(textOf(parseSse(await res.text()))).toBe('after');
  });

  it('delays chunks with the slow: prefix', async () => {
    api = await startFakeMessagesApi();
    const t0 = Date.now();
    const events = parseSse(await (await post(api, mainBody('slow: 60 say a b c d'))).text());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    expect(textOf(events)).toBe('a b c d');
  });

  it('answers count_tokens, unknown paths with 404 JSON, and bad bodies with 400', async () => {
    api = await startFakeMessagesApi();
    const count = await post(api, mainBody('x'), '/v1/messages/count_tokens?beta=true');
    expect(await count.json()).toEqual({ input_tokens: expect.any(Number) });
    const missing = await post(api, {}, '/v1/complete');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const health = await fetch(`${api.url}/`);
    expect(await health.text()).toContain('fake messages');
    const bad = await fetch(`${api.url}/v1/messages`, { method: 'POST', body: 'nope' });
    expect(bad.status).toBe(400);
    expect(api.requests.map((r) => r.kind)).toEqual(['count_tokens', 'other', 'other', 'other']);
  });
});

describe('claudeAgentEnv', () => {
  it('builds a clean env and can leave the API key out', () => {
    const env = claudeAgentEnv({ baseUrl: 'http://127.0.0.1:1', home: '/tmp/h' });
    expect(env).toMatchObject({
      HOME: '/tmp/h',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      ANTHROPIC_API_KEY: 'dummy',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_ERROR_REPORTING: '1',
      CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION: 'false',
      IS_SANDBOX: '1',
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        'PATH',
        'HOME',
        'ANTHROPIC_BASE_URL',
        'ANTHROPIC_API_KEY',
        'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
        'DISABLE_TELEMETRY',
        'DISABLE_AUTOUPDATER',
        'DISABLE_ERROR_REPORTING',
        'CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION',
        'IS_SANDBOX',
      ].sort(),
    );
    expect(claudeAgentEnv({ baseUrl: 'u', home: 'h', apiKey: null }).ANTHROPIC_API_KEY).toBeUndefined();
  });
});
