import type { AegisEvent } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import { foldEvents, mergeContent, questionAnswerLines, TranscriptAssembler } from './transcript.js';

let seq = 0;
function ev<T extends AegisEvent['type']>(
  type: T,
  data: Extract<AegisEvent, { type: T }>['data'],
): AegisEvent {
  seq++;
  return {
    id: seq,
    seq,
    sessionId: 's1',
    at: new Date(1700000000000 + seq * 1000).toISOString(),
    type,
    data,
  } as AegisEvent;
}

describe('transcript assembly', () => {
  it('streams assistant text from deltas and finalizes it on completion', () => {
    seq = 0;
    const t = new TranscriptAssembler();
    t.apply(ev('turn.started', { turnId: 't1', text: 'Fix the tests', queuedMs: 0 }));
    t.apply(ev('message.delta', { messageId: 'm1', text: 'Hel' }));
    let items = t.items();
    expect(items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(items[1]).toMatchObject({ text: 'Hel', streaming: true });
    t.apply(ev('message.delta', { messageId: 'm1', text: 'lo' }));
    expect(t.items()[1]).toMatchObject({ text: 'Hello', streaming: true });
    t.apply(ev('message.completed', { messageId: 'm1', text: 'Hello!' }));
    items = t.items();
    expect(items[1]).toMatchObject({ text: 'Hello!', streaming: false });
    expect(items[0]).toMatchObject({ kind: 'user', text: 'Fix the tests' });
  });

  it('keeps unchanged items identical and returns a new array only after a change', () => {
    seq = 0;
    const t = new TranscriptAssembler();
    t.apply(ev('turn.started', { turnId: 't1', text: 'hi', queuedMs: 0 }));
    t.apply(ev('message.delta', { messageId: 'm1', text: 'a' }));
    const a = t.items();
    expect(t.items()).toBe(a);
    t.apply(ev('message.delta', { messageId: 'm1', text: 'b' }));
    const b = t.items();
    expect(b).not.toBe(a);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
  });

  it('merges tool events by toolCallId, keeping the diff when the final update has only output', () => {
    seq = 0;
    const diff = { type: 'diff' as const, path: '/w/a.txt', oldText: null, newText: 'hi\n' };
    const items = foldEvents([
      ev('tool.started', { toolCallId: 'tc1', title: 'Write', kind: 'edit', status: 'pending', input: {} }),
      ev('tool.updated', {
        toolCallId: 'tc1',
        title: 'Write a.txt',
        input: { path: 'a.txt' },
        content: [diff],
        locations: [{ path: '/w/a.txt' }],
      }),
      ev('tool.updated', { toolCallId: 'tc1', status: 'in_progress' }),
      ev('tool.completed', {
        toolCallId: 'tc1',
        status: 'completed',
        output: 'ok',
        content: [{ type: 'text', text: 'ok' }],
      }),
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'tool',
      title: 'Write a.txt',
      toolKind: 'edit',
      status: 'completed',
      input: { path: 'a.txt' },
      output: 'ok',
      locations: [{ path: '/w/a.txt' }],
      content: [diff, { type: 'text', text: 'ok' }],
    });
    expect(items[0]!.seq).toBe(1);
  });

  it('records a permission request and its resolution in place', () => {
    seq = 0;
    const options = [
      { optionId: 'allow-once', name: 'Allow', kind: 'allow_once' as const },
      { optionId: 'reject', name: 'Reject', kind: 'reject_once' as const },
    ];
    const t = new TranscriptAssembler();
    t.apply(
      ev('permission.requested', {
        requestId: 'r1',
        toolCallId: 'tc1',
        title: 'Write a.txt',
        kind: 'edit',
        content: [],
        options,
      }),
    );
    expect(t.items()[0]).toMatchObject({ kind: 'permission', title: 'Write a.txt', resolution: null });
    t.apply(ev('message.delta', { messageId: 'm2', text: 'x' }));
    t.apply(
      ev('permission.resolved', {
        requestId: 'r1',
        outcome: 'selected',
        optionId: 'reject',
        optionKind: 'reject_once',
        decidedBy: { type: 'human', actor: null },
        waitedMs: 1200,
      }),
    );
    const items = t.items();
    expect(items.map((i) => i.kind)).toEqual(['permission', 'assistant']);
    expect(items[0]).toMatchObject({
      resolution: { outcome: 'selected', optionKind: 'reject_once', waitedMs: 1200 },
    });
  });

  it('shows one plan per turn, replaced on update', () => {
    seq = 0;
    const items = foldEvents([
      ev('turn.started', { turnId: 't1', text: 'plan it', queuedMs: 0 }),
      ev('plan.updated', { entries: [{ content: 'a', priority: 'high', status: 'pending' }] }),
      ev('message.delta', { messageId: 'm', text: 'working' }),
      ev('plan.updated', { entries: [{ content: 'a', priority: 'high', status: 'completed' }] }),
      ev('turn.completed', { turnId: 't1', stopReason: 'end_turn', durationMs: 10 }),
      ev('turn.started', { turnId: 't2', text: 'again', queuedMs: 0 }),
      ev('plan.updated', { entries: [{ content: 'b', priority: 'low', status: 'pending' }] }),
    ]);
    expect(items.map((i) => i.kind)).toEqual(['user', 'plan', 'assistant', 'user', 'plan']);
    expect(items[1]).toMatchObject({ entries: [{ content: 'a', status: 'completed' }] });
    expect(items[2]).toMatchObject({ streaming: false });
  });

  it('adds system notes for interrupted, failed and ended turns, not for a normal end', () => {
    seq = 0;
    const items = foldEvents([
      ev('turn.started', { turnId: 't1', text: 'x', queuedMs: 0 }),
      ev('turn.completed', { turnId: 't1', stopReason: 'end_turn', durationMs: 10 }),
      ev('turn.started', { turnId: 't2', text: 'y', queuedMs: 0 }),
      ev('turn.completed', { turnId: 't2', stopReason: 'cancelled', durationMs: 1500 }),
      ev('turn.started', { turnId: 't3', text: 'z', queuedMs: 0 }),
      ev('turn.failed', {
        turnId: 't3',
        problem: { code: 'RATE_LIMITED', message: 'Rate limited', hint: 'retry later' },
        rateLimited: true,
        durationMs: 5,
      }),
      ev('session.ended', { status: 'killed', reason: 'killed by user', exit: null }),
    ]);
    const sys = items.filter((i) => i.kind === 'system');
    expect(sys.map((s) => s.kind === 'system' && [s.tone, s.text])).toEqual([
      ['warn', 'Turn interrupted'],
      ['warn', 'Rate limited'],
      ['info', 'Session killed: killed by user'],
    ]);
  });

  it('ignores replayed events (seq at or below the last one applied) after a reconnect', () => {
    seq = 0;
    const t = new TranscriptAssembler();
    const e1 = ev('message.delta', { messageId: 'm', text: 'a' });
    const e2 = ev('message.delta', { messageId: 'm', text: 'b' });
    t.apply(e1);
    t.apply(e2);
    expect(t.apply(e1)).toBe(false);
    expect(t.apply(e2)).toBe(false);
    expect(t.items()[0]).toMatchObject({ text: 'ab' });
    expect(t.lastSeq).toBe(2);
  });

  it('folds 50,000 events into 5,000 items quickly', () => {
    seq = 0;
    const t = new TranscriptAssembler();
    const t0 = performance.now();
    for (let m = 0; m < 5000; m++) {
      for (let c = 0; c < 10; c++) t.apply(ev('message.delta', { messageId: `m${m}`, text: 'word ' }));
      if (m % 500 === 0) t.items();
    }
    expect(t.items()).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('shows a question when asked and its answer in place when answered', () => {
    seq = 0;
    const t = new TranscriptAssembler();
    t.apply(ev('turn.started', { turnId: 't1', text: 'go', queuedMs: 0 }));
    t.apply(
      ev('question.asked', {
        questionId: 'q1',
        toolCallId: null,
        message: 'Which database should I use?',
        questions: [
          {
            id: 'db',
            question: 'Which database should I use?',
            header: 'DB',
            options: [
              { value: 'sqlite', label: 'SQLite' },
              { value: 'pg', label: 'Postgres' },
            ],
            multiSelect: false,
            allowCustom: false,
          },
        ],
      }),
    );
    const asked = t.items();
    expect(asked.map((i) => i.kind)).toEqual(['user', 'question']);
    expect(asked[1]).toMatchObject({
      questionId: 'q1',
      message: 'Which database should I use?',
      resolution: null,
    });
    t.apply(ev('message.delta', { messageId: 'm1', text: 'ok' }));
    t.apply(
      ev('question.answered', {
        questionId: 'q1',
        outcome: 'answered',
        answers: { db: 'pg' },
        decidedBy: { type: 'human', actor: 'k1' },
        waitedMs: 1200,
      }),
    );
    const items = t.items();
    // Answered in place: still one question entry, before the text that followed it.
    expect(items.map((i) => i.kind)).toEqual(['user', 'question', 'assistant']);
    const q = items[1]!;
    expect(q).toMatchObject({
      resolution: { outcome: 'answered', decidedBy: { type: 'human', actor: 'k1' }, waitedMs: 1200 },
    });
    if (q.kind !== 'question') throw new Error('not a question');
    expect(questionAnswerLines(q)).toEqual(['Which database should I use? → Postgres']);
  });

  it('records a dismissed question even when its question.asked was not seen', () => {
    seq = 0;
    const items = foldEvents([
      ev('question.answered', {
        questionId: 'q9',
        outcome: 'declined',
        answers: {},
        decidedBy: { type: 'human', actor: null },
        waitedMs: 5,
      }),
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'question',
      questionId: 'q9',
      resolution: { outcome: 'declined' },
    });
  });

  it('mergeContent replaces content, keeping earlier diffs when the new content has none', () => {
    const d = { type: 'diff' as const, path: 'p', oldText: 'a', newText: 'b' };
    expect(mergeContent(undefined, undefined)).toEqual([]);
    expect(mergeContent([d], undefined)).toEqual([d]);
    expect(mergeContent([d], [{ type: 'text', text: 't' }])).toEqual([d, { type: 'text', text: 't' }]);
    const d2 = { ...d, newText: 'c' };
    expect(mergeContent([d], [d2])).toEqual([d2]);
  });
});
