import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { ChannelOutboxStore, OutboxItem, OutboxStats } from './channel-outbox.js';
import type { AegisEvent } from './events.js';
import { coreTracer, TraceAttr } from './tracing.js';

/**
 * A send that failed, saying how to go on. Anything else thrown by {@link OutboxChannel.send} is
 * retried with backoff.
 */
export class ChannelSendError extends Error {
  /** The channel said when to try again (Telegram `retry_after`, Slack `Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
  /** Retrying cannot help (the message was refused): the item is marked `failed`. */
  readonly permanent: boolean;
  /**
   * Not a failure: the item is not to be sent yet (e.g. a mail about a permission that has not
   * waited long enough); it is looked at again after this many ms. The channel is not paused.
   */
  readonly deferMs: number | undefined;
  constructor(
    message: string,
    opts: { retryAfterMs?: number | undefined; permanent?: boolean; deferMs?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'ChannelSendError';
    this.retryAfterMs = opts.retryAfterMs;
    this.permanent = opts.permanent ?? false;
    this.deferMs = opts.deferMs;
  }
}

/** One notification channel as the dispatcher drives it. */
export interface OutboxChannel {
  /** Unique, stable: the outbox is keyed on it (`telegram`, `slack`, `email`). */
  readonly name: string;
  /** Whether the channel wants this event (its kinds and session filters). */
  accepts(event: AegisEvent): boolean | Promise<boolean>;
  /** Sends one item; resolves with what to remember of it (e.g. the message id). */
  send(item: OutboxItem): Promise<{ ref?: string | null } | undefined>;
}

export type ChannelHealth = 'starting' | 'ok' | 'retrying' | 'error' | 'stopped';

export interface ChannelStatus {
  name: string;
  state: ChannelHealth;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSentAt: string | null;
  /** The channel is paused by a rate limit until this time. */
  pausedUntil: string | null;
}

export interface ChannelDispatcherOptions {
  store: ChannelOutboxStore;
  /** The global event log after an id (`aegis.events`). */
  events(opts: { after: number; limit: number }): Promise<AegisEvent[]>;
  /** Hints that events were stored (`aegis.subscribe`); the log stays the truth. */
  subscribe(listener: (event: AegisEvent) => void): () => void;
  channels: OutboxChannel[];
  /** How often a channel looks for work without a hint. Default 1000 ms. */
  pollMs?: number;
  /** First retry delay, doubled per attempt (±20 % jitter), capped at `maxDelayMs`. Default 1000. */
  baseDelayMs?: number;
  /** Default 60 000. */
  maxDelayMs?: number;
  /** An item still failing this long after it was queued is given up (`failed`). Default 24 h. */
  giveUpAfterMs?: number;
  /**
   * Checked before each send: false stops sending until it is true again (a cluster node whose
   * hold on the channels may have run out sends nothing more). Default always true.
   */
  active?: () => boolean;
  now?: () => number;
  random?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
  /** Records an `aegis.channel.deliver` span per send. Default: the global OpenTelemetry tracer. */
  tracer?: Tracer | undefined;
}

export interface ChannelDispatcher {
  status(name: string): ChannelStatus | undefined;
  stats(name: string): Promise<OutboxStats>;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  close(): Promise<void>;
}

const PAGE = 200;

/**
 * Delivers the outbox, one loop per channel, off the engine's event path: a hint from `subscribe`
 * only wakes a loop, and a channel that is slow or down delays nobody but itself. Each loop moves
 * new events from the log into the outbox (its cursor moves in the same transaction), then sends
 * what is due: per session in `seq` order, one item at a time; other sessions go on meanwhile.
 *
 * Every attempt is recorded (`sending`) before the send and its result after. An item found
 * `sending` at start-up was interrupted by a crash; it is marked `unconfirmed` and not sent again.
 */
export function startChannelDispatcher(options: ChannelDispatcherOptions): ChannelDispatcher {
  const { store } = options;
  const pollMs = options.pollMs ?? 1000;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  const tracer = options.tracer ?? coreTracer();
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const active = options.active ?? (() => true);
  const iso = (ms = now()) => new Date(ms).toISOString();
  let stopped = false;

  const loops = options.channels.map((channel) => {
    const status: ChannelStatus = {
      name: channel.name,
      state: 'starting',
      lastError: null,
      lastErrorAt: null,
      lastSentAt: null,
      pausedUntil: null,
    };
    let wakeUp: (() => void) | null = null;
    let hinted = false;
    const wake = () => {
      hinted = true;
      wakeUp?.();
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        if (hinted || stopped) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        }
        wakeUp = done;
      });

    const fail = (message: string) => {
      status.lastError = message;
      status.lastErrorAt = iso();
    };

    async function feed(cursor: number): Promise<number> {
      for (;;) {
        const page = await options.events({ after: cursor, limit: PAGE });
        if (page.length === 0) return cursor;
        const wanted: AegisEvent[] = [];
        for (const e of page) if (await channel.accepts(e)) wanted.push(e);
        const through = page[page.length - 1]?.id ?? cursor;
        await store.enqueue(channel.name, wanted, through, iso());
        cursor = through;
        if (page.length < PAGE) return cursor;
      }
    }

    /** One send, in its own span (deliveries run off the engine's path, so each is a root span). */
    const send = (item: OutboxItem) =>
      tracer.startActiveSpan(
        'aegis.channel.deliver',
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'aegis.channel': channel.name,
            [TraceAttr.sessionId]: item.sessionId,
            'aegis.event.id': item.eventId,
            'aegis.event.type': item.event.type,
          },
        },
        ROOT_CONTEXT,
        async (span) => {
          try {
            return await channel.send(item);
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      );

    async function attempt(item: OutboxItem): Promise<void> {
      if (!(await store.begin(item.id, iso()))) return;
      try {
        const result = await send(item);
        await store.finish(item.id, { state: 'sent', ref: result?.ref ?? null }, iso());
        status.state = 'ok';
        status.lastSentAt = iso();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof ChannelSendError && err.deferMs !== undefined) {
          const next = iso(now() + err.deferMs);
          await store.finish(item.id, { state: 'pending', nextAttemptAt: next, error: message }, iso());
          return;
        }
        const refused = err instanceof ChannelSendError && err.permanent;
        const tooOld = now() - Date.parse(item.createdAt) > giveUpAfterMs;
        fail(message);
        if (refused || tooOld) {
          await store.finish(item.id, { state: 'failed', error: message }, iso());
          log('warn', 'channel gave up a delivery', {
            channel: channel.name,
            eventId: item.eventId,
            type: item.event.type,
            error: message,
          });
          return;
        }
        const retryAfter = err instanceof ChannelSendError ? err.retryAfterMs : undefined;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** item.attempts) * (0.8 + random() * 0.4);
        const delay = retryAfter ?? backoff;
        // A rate limit holds for the whole bot/app, not one message: the channel pauses.
        if (retryAfter !== undefined) status.pausedUntil = iso(now() + retryAfter);
        status.state = 'retrying';
        await store.finish(
          item.id,
          { state: 'pending', nextAttemptAt: iso(now() + delay), error: message },
          iso(),
        );
      }
    }

    const done = (async () => {
      let cursor = 0;
      for (;;) {
        if (stopped) break;
        try {
          cursor = await store.start(channel.name, iso());
          const interrupted = await store.settleInterrupted(channel.name, iso());
          for (const item of interrupted) {
            log('warn', 'a send was interrupted (crash or kill); not sending it again', {
              channel: channel.name,
              eventId: item.eventId,
              type: item.event.type,
              sessionId: item.sessionId,
            });
          }
          break;
        } catch (err) {
          fail(err instanceof Error ? err.message : String(err));
          status.state = 'error';
          await sleep(pollMs);
          hinted = false;
        }
      }
      while (!stopped) {
        hinted = false;
        try {
          cursor = await feed(cursor);
          const paused = status.pausedUntil && Date.parse(status.pausedUntil) > now();
          if (!paused) {
            status.pausedUntil = null;
            const due = await store.due(channel.name, iso(), 20);
            for (const item of due) {
              if (stopped || status.pausedUntil || !active()) break;
              await attempt(item);
            }
            if (status.state === 'starting') status.state = 'ok';
            if (due.length > 0) continue;
          }
        } catch (err) {
          fail(err instanceof Error ? err.message : String(err));
          status.state = 'error';
          log('error', 'channel outbox failed; retrying', { channel: channel.name, error: status.lastError });
        }
        const pausedFor = status.pausedUntil ? Date.parse(status.pausedUntil) - now() : 0;
        await sleep(Math.max(10, Math.min(pollMs, pausedFor > 0 ? pausedFor : pollMs)));
      }
      status.state = 'stopped';
    })();
    return { channel, status, wake, done };
  });

  const unsubscribe = options.subscribe(() => {
    for (const l of loops) l.wake();
  });

  return {
    status: (name) => {
      const s = loops.find((l) => l.channel.name === name)?.status;
      return s && { ...s };
    },
    stats: (name) => store.stats(name),
    wake: () => {
      for (const l of loops) l.wake();
    },
    async close() {
      stopped = true;
      unsubscribe();
      for (const l of loops) l.wake();
      await Promise.allSettled(loops.map((l) => l.done));
    },
  };
}
