import { AegisError } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import {
  AcpTranslator,
  fastUpdate,
  toAegisError,
  toPermissionRequest,
  toPermissionResponse,
} from './translate.js';

const make = () => {
  let n = 0;
  return new AcpTranslator(() => `m${++n}`);
};
const text = (t: string) => ({ type: 'text' as const, text: t });

describe('AcpTranslator.translate', () => {
  const cases: [string, acp.SessionUpdate, unknown[]][] = [
    [
      'agent_message_chunk',
      { sessionUpdate: 'agent_message_chunk', content: text('hi') },
      [{ type: 'message.delta', data: { messageId: 'm1', text: 'hi' } }],
    ],
    [
      'agent_message_chunk with its own messageId',
      { sessionUpdate: 'agent_message_chunk', messageId: 'abc', content: text('hi') },
      [{ type: 'message.delta', data: { messageId: 'abc', text: 'hi' } }],
    ],
    [
      'agent_thought_chunk',
      { sessionUpdate: 'agent_thought_chunk', content: text('hmm') },
      [{ type: 'thought.delta', data: { messageId: 'm1', text: 'hmm' } }],
    ],
    ['user_message_chunk (ignored)', { sessionUpdate: 'user_message_chunk', content: text('me') }, []],
    [
      'tool_call (pending)',
      {
        sessionUpdate: 'tool_call',
        toolCallId: 't1',
        title: 'Write',
        kind: 'edit',
        status: 'pending',
        rawInput: {},
      },
      [
        {
          type: 'tool.started',
          data: { toolCallId: 't1', title: 'Write', kind: 'edit', status: 'pending', input: {} },
        },
      ],
    ],
    [
      'tool_call_update with a diff',
      {
        sessionUpdate: 'tool_call_update',
        toolCallId: 't1',
        title: 'Write /w/a.txt',
        rawInput: { file_path: '/w/a.txt' },
        content: [{ type: 'diff', path: '/w/a.txt', newText: 'x' }],
        locations: [{ path: '/w/a.txt' }],
      },
      [
        {
          type: 'tool.updated',
          data: {
            toolCallId: 't1',
            title: 'Write /w/a.txt',
            input: { file_path: '/w/a.txt' },
            content: [{ type: 'diff', path: '/w/a.txt', oldText: null, newText: 'x' }],
            locations: [{ path: '/w/a.txt', line: null }],
          },
        },
      ],
    ],
    [
      'tool_call_update completing',
      {
        sessionUpdate: 'tool_call_update',
        toolCallId: 't1',
        status: 'completed',
        rawOutput: 'ok',
        content: [{ type: 'content', content: text('ok') }],
      },
      [
        {
          type: 'tool.completed',
          data: {
            toolCallId: 't1',
            status: 'completed',
            output: 'ok',
            content: [{ type: 'text', text: 'ok' }],
          },
        },
      ],
    ],
    [
      'tool_call_update failing',
      { sessionUpdate: 'tool_call_update', toolCallId: 't1', status: 'failed' },
      [{ type: 'tool.completed', data: { toolCallId: 't1', status: 'failed' } }],
    ],
    [
      'plan',
      { sessionUpdate: 'plan', entries: [{ content: 'a', priority: 'high', status: 'pending' }] },
      [{ type: 'plan.updated', data: { entries: [{ content: 'a', priority: 'high', status: 'pending' }] } }],
    ],
    [
      'available_commands_update',
      {
        sessionUpdate: 'available_commands_update',
        availableCommands: [{ name: 'review', description: 'Review', input: { hint: 'what' } }],
      },
      [
        {
          type: 'commands.updated',
          data: { commands: [{ name: 'review', description: 'Review', hint: 'what' }] },
        },
      ],
    ],
    [
      'current_mode_update',
      { sessionUpdate: 'current_mode_update', currentModeId: 'plan' },
      [{ type: 'mode.changed', data: { mode: 'plan' } }],
    ],
    [
      'config_option_update changing the mode',
      {
        sessionUpdate: 'config_option_update',
        configOptions: [
          {
            type: 'select',
            id: 'mode',
            name: 'Mode',
            category: 'mode',
            currentValue: 'acceptEdits',
            options: [],
          },
        ],
      },
      [{ type: 'mode.changed', data: { mode: 'acceptEdits' } }],
    ],
    [
      'usage_update with cost',
      { sessionUpdate: 'usage_update', used: 10, size: 100, cost: { amount: 0.5, currency: 'USD' } },
      [{ type: 'usage.updated', data: { contextUsed: 10, contextSize: 100, costUsd: 0.5 } }],
    ],
    [
      'session_info_update',
      { sessionUpdate: 'session_info_update', title: 'Fix the bug' },
      [{ type: 'session.info_updated', data: { title: 'Fix the bug' } }],
    ],
    ['session_info_update without a title', { sessionUpdate: 'session_info_update', updatedAt: 'now' }, []],
    [
      'an unknown kind (ignored)',
      { sessionUpdate: 'brand_new_kind', x: 1 } as unknown as acp.SessionUpdate,
      [],
    ],
  ];

  it.each(cases)('%s', (_name, update, expected) => {
    expect(make().translate(update)).toEqual(expected);
  });

  it('gives one messageId per consecutive run of chunks', () => {
    const t = make();
    const ids = [
      t.translate({ sessionUpdate: 'agent_message_chunk', content: text('a') }),
      t.translate({ sessionUpdate: 'agent_message_chunk', content: text('b') }),
      t.translate({ sessionUpdate: 'tool_call', toolCallId: 'x', title: 'T' }),
      t.translate({ sessionUpdate: 'agent_message_chunk', content: text('c') }),
    ].flatMap((events) => events.flatMap((e) => (e.type === 'message.delta' ? [e.data.messageId] : [])));
    expect(ids).toEqual(['m1', 'm1', 'm2']);
  });

  it('reads models from the model config option and dedupes a repeated mode', () => {
    const t = make();
    t.applyNewSession({
      modes: { currentModeId: 'default', availableModes: [{ id: 'default', name: 'Manual' }] },
      configOptions: [
        {
          type: 'select',
          id: 'model',
          name: 'Model',
          category: 'model',
          currentValue: 'a',
          options: [{ group: 'g', name: 'G', options: [{ value: 'a', name: 'A' }] }],
        },
      ],
    });
    expect(t.models).toEqual([{ id: 'a', name: 'A' }]);
    expect(t.modelConfigId).toBe('model');
    expect(t.translate({ sessionUpdate: 'current_mode_update', currentModeId: 'default' })).toEqual([]);
  });
});

describe('permissions', () => {
  it('maps a request and its options', () => {
    const req = toPermissionRequest({
      sessionId: 's',
      toolCall: { toolCallId: 't', title: 'Bash', kind: 'execute', rawInput: { command: 'ls' } },
      options: [{ optionId: 'allow-once', name: 'Allow', kind: 'allow_once' }],
    });
    expect(req).toEqual({
      toolCallId: 't',
      title: 'Bash',
      kind: 'execute',
      input: { command: 'ls' },
      content: [],
      options: [{ optionId: 'allow-once', name: 'Allow', kind: 'allow_once' }],
    });
  });

  it.each([
    [{ outcome: 'selected', optionId: 'o' } as const, { outcome: { outcome: 'selected', optionId: 'o' } }],
    [{ outcome: 'cancelled' } as const, { outcome: { outcome: 'cancelled' } }],
  ])('answers %j', (decision, expected) => {
    expect(toPermissionResponse(decision)).toEqual(expected);
  });
});

describe('toAegisError', () => {
  it.each([
    [{ code: -32000, message: 'Authentication required' }, 'AGENT_AUTH_REQUIRED', undefined],
    [{ code: -32603, message: 'Internal error', data: { status: 429 } }, 'RATE_LIMITED', undefined],
    [{ code: -32603, message: 'Overloaded, retry-after: 30' }, 'RATE_LIMITED', 30_000],
    [{ code: -32603, message: 'rate limit', data: { retryAfter: 2 } }, 'RATE_LIMITED', 2000],
    [{ code: -32602, message: 'Invalid params' }, 'AGENT_PROTOCOL_ERROR', undefined],
  ])('%j → %s', (rpc, code, retryAfterMs) => {
    const err = toAegisError(rpc, 'session/prompt');
    expect(err).toBeInstanceOf(AegisError);
    expect(err.code).toBe(code);
    expect(err.details?.retryAfterMs).toBe(retryAfterMs);
  });
});

describe('fastUpdate', () => {
  const note = (update: unknown, extra: Record<string, unknown> = {}) => ({
    jsonrpc: '2.0',
    method: 'session/update',
    params: { sessionId: 's1', update },
    ...extra,
  });
  const chunk = { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hi' } };

  it('takes well-formed tool calls and updates', () => {
    const call = {
      sessionUpdate: 'tool_call',
      toolCallId: 't1',
      title: 'Edit a.ts',
      kind: 'edit',
      status: 'pending',
      rawInput: { path: 'a.ts' },
      content: [
        { type: 'diff', path: 'a.ts', oldText: null, newText: 'x' },
        { type: 'terminal', terminalId: 'term' },
        { type: 'content', content: { type: 'text', text: 'ok' } },
      ],
      locations: [{ path: 'a.ts', line: 3 }],
    };
    expect(fastUpdate(note(call))).toBe(call);
    const update = { sessionUpdate: 'tool_call_update', toolCallId: 't1', title: null, status: 'completed' };
    expect(fastUpdate(note(update))).toBe(update);
  });

  it('takes text chunks (message or thought, with or without messageId)', () => {
    expect(fastUpdate(note(chunk))).toBe(chunk);
    const thought = {
      sessionUpdate: 'agent_thought_chunk',
      messageId: 'm',
      content: { type: 'text', text: '' },
    };
    expect(fastUpdate(note(thought))).toBe(thought);
  });

  it('leaves everything else to the validating SDK path', () => {
    const odd = [
      note({ ...chunk, content: { type: 'image', data: 'x', mimeType: 'image/png' } }),
      note({ ...chunk, content: { type: 'text', text: 5 } }),
      note({ ...chunk, messageId: 7 }),
      note({ sessionUpdate: 'tool_call', toolCallId: 't', title: 'x', content: null }),
      note({ sessionUpdate: 'tool_call', toolCallId: 't' }),
      note({ sessionUpdate: 'tool_call', toolCallId: 't', title: 'x', kind: 'weird' }),
      note({ sessionUpdate: 'tool_call_update', toolCallId: 't', status: 'done' }),
      note({ sessionUpdate: 'tool_call_update', toolCallId: 't', locations: [{ path: 'a', line: -1 }] }),
      note({
        sessionUpdate: 'tool_call_update',
        toolCallId: 't',
        content: [{ type: 'content', content: { type: 'image', data: 'x', mimeType: 'image/png' } }],
      }),
      note({ sessionUpdate: 'plan', entries: [] }),
      note(chunk, { id: 1 }),
      note(chunk, { jsonrpc: '1.0' }),
      { jsonrpc: '2.0', method: 'session/update', params: { update: chunk } },
      { jsonrpc: '2.0', method: 'session/other', params: { sessionId: 's1', update: chunk } },
      note(null),
    ];
    for (const m of odd) expect(fastUpdate(m as Record<string, unknown>)).toBeNull();
  });

  it('translates what it takes exactly like the validated path', () => {
    const viaFast = new AcpTranslator(() => 'id');
    const viaSdk = new AcpTranslator(() => 'id');
    const fast = fastUpdate(note(chunk));
    expect(fast && viaFast.translate(fast)).toEqual(viaSdk.translate(chunk as acp.SessionUpdate));
  });
});
