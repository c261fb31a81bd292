/**
 * Folds the API's `AegisEvent`s (as streamed over SSE) into displayable transcript items. Pure and
 * incremental: `apply()` one event at a time, `items()` for a snapshot. An item object is replaced
 * (never mutated) when it changes, so React can skip unchanged rows.
 */
import type { AegisEvent, components } from '@aegis/client';
import { t } from '../i18n/index.js';

type S = components['schemas'];
export type ToolContent = S['ToolContent'];
export type ToolStatus = S['ToolStatus'];
export type PermissionOption = S['PermissionOption'];
export type PlanEntry = S['PlanEntry'];

interface Base {
  /** Stable key for rendering. */
  key: string;
  /** seq of the first event that produced this item. */
  seq: number;
  at: string;
}

export type TranscriptItem =
  | (Base & { kind: 'user'; text: string; turnId: string })
  | (Base & { kind: 'assistant'; messageId: string; text: string; streaming: boolean })
  | (Base & { kind: 'thought'; messageId: string; text: string })
  | (Base & {
      kind: 'tool';
      toolCallId: string;
      title: string;
      toolKind: S['ToolKind'] | null;
      status: ToolStatus;
      input?: unknown;
      output?: unknown;
      content: ToolContent[];
      locations: S['ToolLocation'][];
    })
  | (Base & {
      kind: 'permission';
      requestId: string;
      toolCallId: string | null;
      title: string;
      options: PermissionOption[];
      content: ToolContent[];
      input?: unknown;
      resolution: null | {
        outcome: 'selected' | 'cancelled';
        optionKind: S['PermissionOptionKind'] | null;
        decidedBy: S['Decider'];
        waitedMs: number;
      };
    })
  | (Base & {
      kind: 'question';
      questionId: string;
      message: string;
      questions: S['QuestionField'][];
      resolution: null | {
        outcome: 'answered' | 'declined' | 'cancelled';
        answers: Record<string, string | string[]>;
        decidedBy: S['Decider'];
        waitedMs: number;
      };
    })
  | (Base & { kind: 'plan'; entries: PlanEntry[] })
  | (Base & { kind: 'system'; tone: 'info' | 'warn' | 'error'; text: string; detail?: string });

export type ItemKind = TranscriptItem['kind'];

export interface TranscriptState {
  /** Highest seq applied; resume the stream after it. */
  lastSeq: number;
  /** The id of the running turn, if any. */
  turnId: string | null;
}

export class TranscriptAssembler {
  #items: TranscriptItem[] = [];
  #index = new Map<string, number>();
  #lastSeq = 0;
  #turnId: string | null = null;
  #version = 0;

  get lastSeq(): number {
    return this.#lastSeq;
  }
  get turnId(): string | null {
    return this.#turnId;
  }
  /** Bumped on every change: cheap "did anything change" check. */
  get version(): number {
    return this.#version;
  }

  /** A snapshot array (a new array when something changed since the last call). */
  items(): readonly TranscriptItem[] {
    return this.#snapshot ?? this.#takeSnapshot();
  }
  #snapshot: TranscriptItem[] | null = null;
  #takeSnapshot(): TranscriptItem[] {
    this.#snapshot = this.#items.slice();
    return this.#snapshot;
  }

  #get<K extends ItemKind>(key: string, kind: K): Extract<TranscriptItem, { kind: K }> | undefined {
    const i = this.#index.get(key);
    if (i === undefined) return undefined;
    const item = this.#items[i]!;
    return item.kind === kind ? (item as Extract<TranscriptItem, { kind: K }>) : undefined;
  }
  #put(item: TranscriptItem): void {
    const i = this.#index.get(item.key);
    if (i === undefined) {
      this.#index.set(item.key, this.#items.length);
      this.#items.push(item);
    } else this.#items[i] = item;
    this.#snapshot = null;
    this.#version++;
  }
  #system(e: AegisEvent, tone: 'info' | 'warn' | 'error', text: string, detail?: string): void {
    this.#put({
      key: `sys:${e.seq}`,
      kind: 'system',
      seq: e.seq,
      at: e.at,
      tone,
      text,
      ...(detail ? { detail } : {}),
    });
  }

  /** Applies one event; events at or below `lastSeq` are ignored (replays after a reconnect). */
  apply(e: AegisEvent): boolean {
    if (e.seq <= this.#lastSeq) return false;
    this.#lastSeq = e.seq;
    const base = { seq: e.seq, at: e.at };
    switch (e.type) {
      case 'turn.started': {
        this.#turnId = e.data.turnId;
        if (e.data.text) {
          this.#put({
            ...base,
            key: `turn:${e.data.turnId}`,
            kind: 'user',
            text: e.data.text,
            turnId: e.data.turnId,
          });
        }
        return true;
      }
      case 'message.delta':
      case 'message.completed': {
        const key = `msg:${e.data.messageId}`;
        const prev = this.#get(key, 'assistant');
        const done = e.type === 'message.completed';
        const text = done ? e.data.text || (prev?.text ?? '') : (prev?.text ?? '') + e.data.text;
        this.#put({
          ...(prev ?? base),
          key,
          kind: 'assistant',
          messageId: e.data.messageId,
          text,
          streaming: !done,
        });
        return true;
      }
      case 'thought.delta': {
        const key = `thought:${e.data.messageId}`;
        const prev = this.#get(key, 'thought');
        this.#put({
          ...(prev ?? base),
          key,
          kind: 'thought',
          messageId: e.data.messageId,
          text: (prev?.text ?? '') + e.data.text,
        });
        return true;
      }
      case 'tool.started':
      case 'tool.updated':
      case 'tool.completed': {
        const d = e.data;
        const key = `tool:${d.toolCallId}`;
        const prev = this.#get(key, 'tool');
        this.#put({
          ...(prev ?? base),
          key,
          kind: 'tool',
          toolCallId: d.toolCallId,
          title: d.title ?? prev?.title ?? t('entry.tool'),
          toolKind: d.kind ?? prev?.toolKind ?? null,
          status: d.status ?? prev?.status ?? 'pending',
          ...('input' in d && d.input !== undefined
            ? { input: d.input }
            : prev && 'input' in prev
              ? { input: prev.input }
              : {}),
          ...('output' in d && d.output !== undefined
            ? { output: d.output }
            : prev && 'output' in prev
              ? { output: prev.output }
              : {}),
          content: mergeContent(prev?.content, d.content),
          locations: d.locations ?? prev?.locations ?? [],
        });
        return true;
      }
      case 'permission.requested': {
        const d = e.data;
        this.#put({
          ...base,
          key: `perm:${d.requestId}`,
          kind: 'permission',
          requestId: d.requestId,
          toolCallId: d.toolCallId,
          title: d.title,
          options: d.options,
          content: d.content ?? [],
          ...(d.input !== undefined ? { input: d.input } : {}),
          resolution: null,
        });
        return true;
      }
      case 'permission.resolved': {
        const d = e.data;
        const key = `perm:${d.requestId}`;
        const prev = this.#get(key, 'permission');
        const resolution = {
          outcome: d.outcome,
          optionKind: d.optionKind,
          decidedBy: d.decidedBy,
          waitedMs: d.waitedMs,
        };
        if (prev) this.#put({ ...prev, resolution });
        else
          this.#put({
            ...base,
            key,
            kind: 'permission',
            requestId: d.requestId,
            toolCallId: null,
            title: t('entry.permissionRequest'),
            options: [],
            content: [],
            resolution,
          });
        return true;
      }
      case 'question.asked': {
        const d = e.data;
        this.#put({
          ...base,
          key: `question:${d.questionId}`,
          kind: 'question',
          questionId: d.questionId,
          message: d.message,
          questions: d.questions,
          resolution: null,
        });
        return true;
      }
      case 'question.answered': {
        const d = e.data;
        const key = `question:${d.questionId}`;
        const prev = this.#get(key, 'question');
        const resolution = {
          outcome: d.outcome,
          answers: d.answers,
          decidedBy: d.decidedBy,
          waitedMs: d.waitedMs,
        };
        this.#put(
          prev
            ? { ...prev, resolution }
            : {
                ...base,
                key,
                kind: 'question',
                questionId: d.questionId,
                message: t('entry.questionFallback'),
                questions: [],
                resolution,
              },
        );
        return true;
      }
      case 'plan.updated': {
        // A plan is replaced as a whole; one plan item per turn, updated in place.
        const key = `plan:${this.#turnId ?? 'none'}`;
        const prev = this.#get(key, 'plan');
        this.#put({ ...(prev ?? base), key, kind: 'plan', entries: e.data.entries });
        return true;
      }
      case 'turn.completed': {
        this.#closeStreaming();
        this.#turnId = null;
        const r = e.data.stopReason;
        if (r === 'cancelled')
          this.#system(
            e,
            'warn',
            t('detail.interrupted'),
            t('entry.after', { time: fmtMs(e.data.durationMs) }),
          );
        else if (r !== 'end_turn')
          this.#system(e, 'warn', t('entry.turnEnded', { reason: r.replace(/_/g, ' ') }));
        return true;
      }
      case 'turn.failed': {
        this.#closeStreaming();
        this.#turnId = null;
        const p = e.data.problem;
        this.#system(e, e.data.rateLimited ? 'warn' : 'error', p.message, p.hint ?? p.code);
        return true;
      }
      case 'turn.stalled':
        this.#system(e, 'warn', t('entry.noOutput', { time: fmtMs(e.data.silentMs) }), t('entry.mayBeStuck'));
        return true;
      case 'mode.changed':
        this.#system(e, 'info', t('entry.modeChanged', { mode: e.data.mode }));
        return true;
      case 'session.ended': {
        this.#closeStreaming();
        const d = e.data;
        const tone = d.status === 'crashed' ? 'error' : 'info';
        const detail = d.exit?.stderrTail
          ? d.exit.stderrTail.trim().split('\n').slice(-5).join('\n')
          : undefined;
        this.#system(e, tone, t('entry.sessionEnded', { status: d.status, reason: d.reason }), detail);
        return true;
      }
      case 'session.created':
      case 'agent.ready':
      case 'session.state_changed':
      case 'session.info_updated':
      case 'usage.updated':
      case 'commands.updated':
        return false;
      default:
        return false;
    }
  }

  /** Marks any still-streaming assistant message as finished (the turn ended). */
  #closeStreaming(): void {
    for (const item of this.#items) {
      if (item.kind === 'assistant' && item.streaming) this.#put({ ...item, streaming: false });
    }
  }
}

/**
 * ACP replaces a tool call's content on update. Diffs shown earlier are kept when the new content
 * carries none (e.g. the final update carries only the output text), so the change stays visible.
 */
export function mergeContent(
  prev: ToolContent[] | undefined,
  next: ToolContent[] | undefined,
): ToolContent[] {
  if (!next) return prev ?? [];
  if (!prev || next.some((c) => c.type === 'diff')) return next;
  const diffs = prev.filter((c) => c.type === 'diff');
  return [...diffs, ...next];
}

/**
 * The answers of a resolved question as "question → answer" lines, options shown by their label,
 * in the order the questions were asked (answers to unknown ids last).
 */
export function questionAnswerLines(item: Extract<TranscriptItem, { kind: 'question' }>): string[] {
  const answers = item.resolution?.answers ?? {};
  const label = (f: S['QuestionField'] | undefined, v: string) =>
    f?.options.find((o) => o.value === v)?.label ?? v;
  const known = item.questions.filter((f) => f.id in answers);
  const rest = Object.keys(answers).filter((id) => !item.questions.some((f) => f.id === id));
  return [
    ...known.map((f) => {
      const a = answers[f.id]!;
      return `${f.question} → ${(Array.isArray(a) ? a : [a]).map((v) => label(f, v)).join(', ')}`;
    }),
    ...rest.map((id) => {
      const a = answers[id]!;
      return `${id} → ${Array.isArray(a) ? a.join(', ') : a}`;
    }),
  ];
}

/** Convenience: fold a whole list of events. */
export function foldEvents(events: Iterable<AegisEvent>): readonly TranscriptItem[] {
  const asm = new TranscriptAssembler();
  for (const e of events) asm.apply(e);
  return asm.items();
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
