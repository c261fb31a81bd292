import type { PermissionRequest } from './driver.js';
import type { EventHub } from './event-hub.js';
import type { EventBody, EventDraft, EventType } from './events.js';
import { isTerminal, type Session, type ToolContent, type ToolKind } from './schemas.js';
import { applyToSession } from './session-record.js';
import { reduceStatus } from './state-machine.js';
import type { AegisStore } from './store.js';
import type { TranscriptEntryDraft } from './transcript.js';
import { TurnMeter } from './turn-meter.js';
import type { PriceTable, UsageRecord } from './usage.js';

export interface RecorderDeps {
  store: AegisStore;
  hub: EventHub;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
  /** Prices per model, for turns whose agent reports no cost. */
  prices?: PriceTable | undefined;
  /** Called with each ledger row once it is stored (key budgets, counters). */
  onUsage?: ((record: UsageRecord) => void) | undefined;
}

interface ToolState {
  toolCallId: string;
  title: string;
  kind: ToolKind | null;
  status: string;
  input?: unknown;
  output?: unknown;
  content: ToolContent[];
  locations: { path: string; line?: number | null | undefined }[];
}

const HOLD = { hold: true } as const;

/** The longest a growing `message.delta` is held before it is recorded (see `emitSafe`). */
const HOLD_MAX_MS = 20;
/** The most text a held `message.delta` gathers before it is recorded. */
const HOLD_MAX_CHARS = 64 * 1024;

/** Events that only append to the log: they leave the session row alone unless the state changes. */
const QUIET: ReadonlySet<EventType> = new Set(['message.delta', 'thought.delta', 'tool.updated']);

/**
 * Records one session's events: reduces its state, appends events and the transcript entries they
 * make in one durable write, and announces them only once that write has settled.
 */
export class SessionRecorder {
  readonly session: Session;
  /** `Date.now()` of the last recorded event: what idle reaping and eviction measure from. */
  lastEventAt = Date.now();
  #open: { kind: 'message' | 'thought'; id: string; text: string } | null = null;
  #tools = new Map<string, ToolState>();
  #resolvedRequests = new Map<string, PermissionRequest>();
  #askedText = new Map<string, string>();
  #announced: Promise<void> = Promise.resolve();
  #silenced = false;
  /** An agent's `message.delta` held while more of it keeps arriving: see {@link emitSafe}. */
  #heldDelta: { messageId: string; text: string; since: number; grew: boolean } | null = null;
  #releaseScheduled = false;
  readonly #deps: RecorderDeps;
  /** What the running turn has used so far. */
  readonly meter: TurnMeter;
  /** Told of each event once the session record has taken it in (before it is stored). */
  onRecorded: ((body: EventBody) => void) | null = null;

  constructor(session: Session, deps: RecorderDeps) {
    this.session = session;
    this.#deps = deps;
    this.meter = new TurnMeter(session, deps.prices);
  }

  /**
   * Records an event: reduces the state (throws on an illegal transition, before anything is
   * written), appends it durably, and announces it to subscribers only after the write resolves.
   */
  emit(body: EventBody, extra?: { reason?: string; note?: string }): Promise<void> {
    this.#releaseDelta();
    return this.#record(body, extra);
  }

  #record(body: EventBody, extra?: { reason?: string; note?: string }): Promise<void> {
    // Another node owns the session now: nothing more is recorded (or announced) from here.
    if (this.#silenced) return Promise.resolve();
    const from = this.session.status;
    const to = reduceStatus(from, body);
    this.lastEventAt = Date.now();
    const at = this.#deps.now().toISOString();
    const events: EventDraft[] = [];
    const transcript: TranscriptEntryDraft[] = [];
    const push = (b: EventBody) => {
      applyToSession(this.session, b, at);
      this.session.lastSeq += 1;
      events.push({ sessionId: this.session.id, seq: this.session.lastSeq, at, ...b } as EventDraft);
      return this.session.lastSeq;
    };
    const isDeltaOfOpen =
      (body.type === 'message.delta' &&
        this.#open?.kind === 'message' &&
        this.#open.id === body.data.messageId) ||
      (body.type === 'thought.delta' &&
        this.#open?.kind === 'thought' &&
        this.#open.id === body.data.messageId);
    if (this.#open && !isDeltaOfOpen) this.#closeOpen(push, transcript, at);

    // A turn's end carries what it used, and its ledger row is written with it.
    const usage: UsageRecord[] = [];
    if (body.type === 'turn.completed' || body.type === 'turn.failed') {
      const record = this.meter.finish(body, at);
      if (record) {
        body = { ...body, data: { ...body.data, usage: record.usage } } as typeof body;
        usage.push(record.row);
      }
    } else this.meter.note(body);
    const seq = push(body);
    this.#track(body, seq, at, transcript);
    if (extra?.note) transcript.push(this.#entry(seq, at, 'system', extra.note));
    if (to !== from) {
      this.session.status = to;
      push({ type: 'session.state_changed', data: { from, to, reason: extra?.reason ?? reasonFor(body) } });
    }
    this.onRecorded?.(body);
    const sessions = QUIET.has(body.type) && to === from ? [] : [structuredClone(this.session)];
    // Everything but the first event is held in order while the store fails (disk full, lock), so
    // the log gets no gap; `session.created` fails at once so that creating a session answers.
    const written = this.#deps.store.write(
      usage.length ? { sessions, events, transcript, usage } : { sessions, events, transcript },
      body.type === 'session.created' ? undefined : HOLD,
    );
    if (usage.length && this.#deps.onUsage) {
      const onUsage = this.#deps.onUsage;
      written.then(
        () => usage.forEach(onUsage),
        () => {},
      );
    }
    // Published straight from the write's own settlement: the store commits and settles writes in
    // one FIFO, so subscribers see events in global id order across sessions (a per-session
    // promise chain took a different number of hops per session and reordered them).
    this.#announced = written.then(
      (res) => this.#deps.hub.publish(res.events),
      (err) => this.#deps.onError(err, `storing events of session ${this.session.id}`),
    );
    return written.then(() => undefined);
  }

  /**
   * Stores the session row alone, in order after the events before it: for state no event carries
   * yet, such as a prompt queued while the agent starts, so a process that dies before the next
   * event leaves a row that says what was waiting.
   */
  saveRow(): Promise<void> {
    if (this.#silenced) return Promise.resolve();
    const written = this.#deps.store.write({ sessions: [structuredClone(this.session)] }, HOLD);
    return this.recorded(written.then(() => undefined));
  }

  /** Records nothing more: another node took the session over (its writes would be refused). */
  silence(): void {
    this.#silenced = true;
  }

  /**
   * Like `emit`, for things the agent reports: an illegal or failed event is logged, not thrown.
   * Consecutive `message.delta`s of one message that arrive together (an agent writes many chunks
   * at once) are recorded as one event with their texts joined — same text, same order, one store
   * row and one announcement instead of hundreds. The runtime takes a burst in in slices (64
   * messages, yielding to the event loop between them), so the held delta is recorded at the first
   * check phase in which nothing more joined it — or once it has been held {@link HOLD_MAX_MS} or
   * has grown to {@link HOLD_MAX_CHARS}, so a long burst still streams. Any other event first
   * records the held delta, so the order of the log is the order things arrived in.
   */
  emitSafe(body: EventBody, note?: string): void {
    if (body.type === 'message.delta' && note === undefined && !this.#silenced) {
      const held = this.#heldDelta;
      if (held && held.messageId === body.data.messageId) {
        held.text += body.data.text;
        held.grew = true;
        return;
      }
      this.#releaseDelta();
      this.#heldDelta = {
        messageId: body.data.messageId,
        text: body.data.text,
        since: Date.now(),
        grew: false,
      };
      this.#scheduleRelease();
      return;
    }
    this.#releaseDelta();
    this.#recordSafe(body, note);
  }

  /** At the next check phase: record the held delta, unless it is still growing (see emitSafe). */
  #scheduleRelease(): void {
    if (this.#releaseScheduled) return;
    this.#releaseScheduled = true;
    setImmediate(() => {
      this.#releaseScheduled = false;
      const held = this.#heldDelta;
      if (!held) return;
      if (held.grew && Date.now() - held.since < HOLD_MAX_MS && held.text.length < HOLD_MAX_CHARS) {
        held.grew = false;
        this.#scheduleRelease();
        return;
      }
      this.#releaseDelta();
    });
  }

  /** Records the held `message.delta`, if any. */
  #releaseDelta(): void {
    const held = this.#heldDelta;
    if (!held) return;
    this.#heldDelta = null;
    this.#recordSafe({ type: 'message.delta', data: { messageId: held.messageId, text: held.text } });
  }

  #recordSafe(body: EventBody, note?: string): void {
    try {
      this.#record(body, note ? { note } : undefined).catch((err) =>
        this.#deps.onError(err, `recording ${body.type}`),
      );
    } catch (err) {
      if (!isTerminal(this.session.status)) this.#deps.onError(err, `dropping ${body.type}`);
    }
  }

  /** Resolves once everything emitted so far is stored and announced (see {@link recorded}). */
  settled(): Promise<void> {
    this.#releaseDelta();
    return this.recorded(this.#announced);
  }

  /**
   * Waits for a write (or the announcements chained on it). While the store fails and holds
   * writes, only until then: the event is kept in order and stored once the store recovers, and
   * the caller (an API request, shutdown) must not hang on a full disk.
   */
  async recorded(written: Promise<void>): Promise<void> {
    let done = false;
    const settled = written.then(
      () => {
        done = true;
      },
      (err: unknown) => {
        done = true;
        throw err;
      },
    );
    for (;;) {
      let tick: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise((r) => (tick = setTimeout(r, 250)))]);
      clearTimeout(tick);
      if (done) return settled;
      if (this.#deps.store.pressure?.()?.failing) {
        settled.catch(() => {});
        return;
      }
    }
  }

  /** The request a `permission.resolved` about to be emitted answers (its transcript entry shows it). */
  rememberPermission(requestId: string, request: PermissionRequest): void {
    this.#resolvedRequests.set(requestId, request);
  }

  /** The text of a question asked before this process (its answer's transcript entry quotes it). */
  rememberQuestion(questionId: string, message: string): void {
    this.#askedText.set(questionId, message);
  }

  /** A message cut off mid-stream by a dead process: completed (into the transcript) with the next event. */
  reopenMessage(message: { id: string; text: string }): void {
    this.#open = { kind: 'message', id: message.id, text: message.text };
  }

  #closeOpen(push: (b: EventBody) => number, transcript: TranscriptEntryDraft[], at: string): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    if (open.kind === 'message') {
      const seq = push({ type: 'message.completed', data: { messageId: open.id, text: open.text } });
      transcript.push(this.#entry(seq, at, 'assistant', open.text));
    } else {
      transcript.push(this.#entry(this.session.lastSeq, at, 'thought', open.text));
    }
  }

  #entry(seq: number, at: string, role: TranscriptEntryDraft['role'], text: string): TranscriptEntryDraft {
    return { sessionId: this.session.id, seq, at, role, text };
  }

  /** Keeps the running message and tool state that transcript entries are made from. */
  #track(body: EventBody, seq: number, at: string, transcript: TranscriptEntryDraft[]): void {
    switch (body.type) {
      case 'message.delta':
      case 'thought.delta': {
        const kind = body.type === 'message.delta' ? 'message' : 'thought';
        if (this.#open) this.#open.text += body.data.text;
        else this.#open = { kind, id: body.data.messageId, text: body.data.text };
        break;
      }
      case 'turn.started':
        transcript.push(this.#entry(seq, at, 'user', body.data.text));
        break;
      case 'tool.started':
      case 'tool.updated':
      case 'tool.completed': {
        const d = body.data;
        const prev = this.#tools.get(d.toolCallId);
        const next: ToolState = {
          toolCallId: d.toolCallId,
          title: d.title ?? prev?.title ?? 'tool call',
          kind: d.kind ?? prev?.kind ?? null,
          status: d.status ?? prev?.status ?? 'pending',
          input: d.input !== undefined ? d.input : prev?.input,
          output: d.output !== undefined ? d.output : prev?.output,
          content: d.content ?? prev?.content ?? [],
          locations: d.locations ?? prev?.locations ?? [],
        };
        if (body.type === 'tool.completed') {
          this.#tools.delete(d.toolCallId);
          transcript.push({ ...this.#entry(seq, at, 'tool', next.title), tool: next });
        } else {
          this.#tools.set(d.toolCallId, next);
        }
        break;
      }
      case 'permission.resolved': {
        const req = this.#resolvedRequests.get(body.data.requestId);
        this.#resolvedRequests.delete(body.data.requestId);
        transcript.push({
          ...this.#entry(seq, at, 'permission', req?.title ?? 'permission'),
          permission: {
            requestId: body.data.requestId,
            title: req?.title ?? 'permission',
            options: req?.options ?? [],
            outcome: body.data.outcome,
            optionKind: body.data.optionKind,
            decidedBy: body.data.decidedBy,
          },
        });
        break;
      }
      case 'plan.updated':
        transcript.push({ ...this.#entry(seq, at, 'plan', 'plan'), plan: body.data.entries });
        break;
      case 'question.asked':
        this.#askedText.set(body.data.questionId, body.data.message);
        break;
      case 'question.answered': {
        const asked = this.#askedText.get(body.data.questionId) ?? 'question';
        this.#askedText.delete(body.data.questionId);
        const values = Object.values(body.data.answers).flat().join(', ');
        const text =
          body.data.outcome === 'answered'
            ? `${asked} — answered: ${values}`
            : `${asked} — ${body.data.outcome}`;
        transcript.push(this.#entry(seq, at, 'system', text));
        break;
      }
      case 'turn.failed':
        transcript.push(this.#entry(seq, at, 'system', body.data.problem.message));
        break;
      case 'session.ended':
        transcript.push(this.#entry(seq, at, 'system', `Session ${body.data.status}: ${body.data.reason}`));
        break;
      default:
        break;
    }
  }
}

function reasonFor(body: EventBody): string | null {
  switch (body.type) {
    case 'turn.failed':
      return body.data.problem.message;
    case 'session.ended':
      return body.data.reason;
    case 'turn.completed':
      return `turn ended: ${body.data.stopReason}`;
    default:
      return body.type;
  }
}
