import type { AegisEvent } from './events.js';

/**
 * The channel outbox: what each notification channel (Telegram, Slack, email) still has to send,
 * kept in the store so deliveries survive restarts. One item per (channel, event); a channel takes
 * events from the global event log through its own cursor, so an event stored just before a crash
 * is still taken after the restart.
 *
 * Item states:
 * - `pending`: waiting (for the first attempt or, after a failure, until `nextAttemptAt`).
 * - `sending`: an attempt was recorded and the send started. Left in this state only by a crash in
 *   the middle of a send: at the next start such items become `unconfirmed` and are never sent
 *   again (the channel cannot tell whether the message arrived; a second send could duplicate it).
 * - `sent`, `failed` (gave up: the channel refused it, or it kept failing past the give-up age),
 *   `unconfirmed`: final.
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'unconfirmed';

export interface OutboxItem {
  id: number;
  channel: string;
  eventId: number;
  sessionId: string;
  seq: number;
  state: OutboxState;
  /** Attempts started (recorded before each send). */
  attempts: number;
  /** ISO time before which the item is not tried again. */
  nextAttemptAt: string;
  lastError: string | null;
  /** What the channel answered, e.g. a Telegram `message_id` (to edit the message later). */
  ref: string | null;
  createdAt: string;
  updatedAt: string;
  event: AegisEvent;
}

/** How an attempt ended. */
export type OutboxOutcome =
  | { state: 'sent'; ref?: string | null | undefined }
  | { state: 'pending'; nextAttemptAt: string; error: string }
  | { state: 'failed'; error: string };

export interface OutboxStats {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  unconfirmed: number;
  /** `createdAt` of the oldest pending item. */
  oldestPendingAt: string | null;
}

export interface ChannelOutboxStore {
  /**
   * The channel's cursor in the global event log. The first call for a channel starts it at the
   * newest stored event (a new channel is not sent the whole history).
   */
  start(channel: string, now: string): Promise<number>;
  /**
   * Inserts an item per event (an event already queued for the channel is skipped) and moves the
   * cursor to `through` (never backwards), in one transaction. Returns how many were inserted.
   */
  enqueue(channel: string, events: AegisEvent[], through: number, now: string): Promise<number>;
  /**
   * Items due at `now`: of each session, its oldest unfinished item, when that one is `pending` and
   * due (so a session's items go out in `seq` order, one at a time). At most `limit`.
   */
  due(channel: string, now: string, limit: number): Promise<OutboxItem[]>;
  /** Records an attempt (`pending` → `sending`, attempts + 1). False when the item was not pending. */
  begin(id: number, now: string): Promise<boolean>;
  /** Records how the attempt of a `sending` item ended. */
  finish(id: number, outcome: OutboxOutcome, now: string): Promise<void>;
  /** At start-up: the channel's items left `sending` by a crash become `unconfirmed`. Returns them. */
  settleInterrupted(channel: string, now: string): Promise<OutboxItem[]>;
  get(id: number): Promise<OutboxItem | undefined>;
  stats(channel: string): Promise<OutboxStats>;
  /**
   * Deletes final items updated before `before` (and the updates recorded by `claimUpdate` before
   * it). Returns how many items.
   */
  prune(before: string): Promise<number>;
  /**
   * Records that the channel took update `updateId` from its service (Telegram's `update_id`), before
   * it acts on it. False when it was recorded already (the service delivered it again): skip it.
   */
  claimUpdate(channel: string, updateId: string, now: string): Promise<boolean>;
  /** Small per-channel values the channel keeps (e.g. the Telegram topic of each session). */
  getValue(channel: string, key: string): Promise<string | undefined>;
  setValue(channel: string, key: string, value: string, now: string): Promise<void>;
}

const FINAL: ReadonlySet<OutboxState> = new Set(['sent', 'failed', 'unconfirmed']);

/**
 * An in-memory {@link ChannelOutboxStore} over the memory store's event list (same semantics as the
 * SQL stores, nothing survives the process).
 */
export function createMemoryChannelOutbox(
  latestEventId: () => number,
  assertOpen: () => void = () => {},
): ChannelOutboxStore {
  const items: OutboxItem[] = [];
  const cursors = new Map<string, number>();
  const values = new Map<string, string>();
  const updates = new Map<string, string>();
  let nextId = 0;
  const clone = <T>(v: T): T => structuredClone(v);
  const byId = (id: number) => items.find((i) => i.id === id);
  return {
    async start(channel) {
      assertOpen();
      if (!cursors.has(channel)) cursors.set(channel, latestEventId());
      return cursors.get(channel) as number;
    },
    async enqueue(channel, events, through, now) {
      assertOpen();
      let inserted = 0;
      for (const event of events) {
        if (items.some((i) => i.channel === channel && i.eventId === event.id)) continue;
        items.push({
          id: ++nextId,
          channel,
          eventId: event.id,
          sessionId: event.sessionId,
          seq: event.seq,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lastError: null,
          ref: null,
          createdAt: now,
          updatedAt: now,
          event: clone(event),
        });
        inserted++;
      }
      cursors.set(channel, Math.max(cursors.get(channel) ?? 0, through));
      return inserted;
    },
    async due(channel, now, limit) {
      assertOpen();
      const heads = new Map<string, OutboxItem>();
      for (const i of items) {
        if (i.channel !== channel || FINAL.has(i.state)) continue;
        const head = heads.get(i.sessionId);
        if (!head || i.seq < head.seq) heads.set(i.sessionId, i);
      }
      return [...heads.values()]
        .filter((i) => i.state === 'pending' && i.nextAttemptAt <= now)
        .sort((a, b) =>
          a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.id - b.id,
        )
        .slice(0, limit)
        .map(clone);
    },
    async begin(id, now) {
      assertOpen();
      const i = byId(id);
      if (i?.state !== 'pending') return false;
      Object.assign(i, { state: 'sending', attempts: i.attempts + 1, updatedAt: now });
      return true;
    },
    async finish(id, outcome, now) {
      assertOpen();
      const i = byId(id);
      if (i?.state !== 'sending') return;
      i.state = outcome.state;
      i.updatedAt = now;
      if (outcome.state === 'sent') i.ref = outcome.ref ?? null;
      else i.lastError = outcome.error;
      if (outcome.state === 'pending') i.nextAttemptAt = outcome.nextAttemptAt;
    },
    async settleInterrupted(channel, now) {
      assertOpen();
      const left = items.filter((i) => i.channel === channel && i.state === 'sending');
      for (const i of left) Object.assign(i, { state: 'unconfirmed', updatedAt: now });
      return left.map(clone);
    },
    async get(id) {
      assertOpen();
      const i = byId(id);
      return i && clone(i);
    },
    async stats(channel) {
      assertOpen();
      const mine = items.filter((i) => i.channel === channel);
      const count = (s: OutboxState) => mine.filter((i) => i.state === s).length;
      const oldest = mine
        .filter((i) => i.state === 'pending')
        .map((i) => i.createdAt)
        .sort()[0];
      return {
        pending: count('pending'),
        sending: count('sending'),
        sent: count('sent'),
        failed: count('failed'),
        unconfirmed: count('unconfirmed'),
        oldestPendingAt: oldest ?? null,
      };
    },
    async prune(before) {
      assertOpen();
      const keep = items.filter((i) => !(FINAL.has(i.state) && i.updatedAt < before));
      const removed = items.length - keep.length;
      items.splice(0, items.length, ...keep);
      for (const [key, at] of updates) if (at < before) updates.delete(key);
      return removed;
    },
    async claimUpdate(channel, updateId, now) {
      assertOpen();
      const key = JSON.stringify([channel, updateId]);
      if (updates.has(key)) return false;
      updates.set(key, now);
      return true;
    },
    async getValue(channel, key) {
      assertOpen();
      return values.get(JSON.stringify([channel, key]));
    },
    async setValue(channel, key, value) {
      assertOpen();
      values.set(JSON.stringify([channel, key]), value);
    },
  };
}
