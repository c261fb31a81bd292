import { createHmac } from 'node:crypto';
import { type Aegis, type AegisEvent, TraceAttr } from '@aegis/core';
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

export interface WebhookTarget {
  url: string;
  /** Signs each delivery; without one, deliveries are unsigned. */
  secret?: string | undefined;
  /** Event types to send; `*` = all. Default: all but the token-by-token deltas. */
  events?: string[] | undefined;
}

export interface WebhookOptions {
  /** Attempts per delivery (first try included). Default 6. */
  maxAttempts?: number;
  /** First retry delay, doubled each retry (±20 % jitter), capped at 60 s. Default 1000. */
  baseDelayMs?: number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** Deliveries queued per target before the oldest is dropped. Default 1000. */
  maxQueue?: number;
  onError?: (message: string, fields: Record<string, unknown>) => void;
  fetch?: typeof fetch;
  now?: () => number;
  /** Jitter source in [0, 1); default `Math.random` (tests pin it). */
  random?: () => number;
  /** Waits between attempts; default a timer that stops on close (tests record the delays). */
  wait?: (ms: number) => Promise<void>;
  /** Records an `aegis.webhook.deliver` span per delivery (all its attempts). Omit for none. */
  tracer?: Tracer | undefined;
}

const DEFAULT_SKIP = new Set(['message.delta', 'thought.delta']);

/**
 * The signature headers for `body`: `x-aegis-timestamp` (unix seconds) and
 * `x-aegis-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
export function signWebhook(secret: string, body: string, timestampSec: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return { 'x-aegis-timestamp': String(timestampSec), 'x-aegis-signature': `sha256=${signature}` };
}

const wants = (t: WebhookTarget, type: string) =>
  t.events ? t.events.includes('*') || t.events.includes(type) : !DEFAULT_SKIP.has(type);

/**
 * POSTs durable events to each target, signed, one at a time per target (so a receiver sees them
 * in order) and retried with exponential backoff. Delivery runs beside the engine: a slow or dead
 * receiver never delays a session, it only grows (then trims) that target's queue.
 */
export function startWebhooks(aegis: Aegis, targets: WebhookTarget[], options: WebhookOptions = {}) {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxQueue = options.maxQueue ?? 1000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const stop = new AbortController();

  const queues = targets.map((target) => ({ target, queue: [] as AegisEvent[], running: false }));

  const random = options.random ?? Math.random;
  const timerSleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      stop.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  const sleep = options.wait ?? timerSleep;

  /** A delivery in its own root span (deliveries run off the request and turn that made the event). */
  function deliver(target: WebhookTarget, event: AegisEvent): Promise<void> {
    const tracer = options.tracer;
    if (!tracer) return attempts(target, event);
    return tracer.startActiveSpan(
      'aegis.webhook.deliver',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'server.address': new URL(target.url).host,
          [TraceAttr.sessionId]: event.sessionId,
          'aegis.event.id': event.id,
          'aegis.event.type': event.type,
        },
      },
      ROOT_CONTEXT,
      async (span) => {
        try {
          await attempts(target, event, span);
        } finally {
          span.end();
        }
      },
    );
  }

  async function attempts(target: WebhookTarget, event: AegisEvent, span?: Span): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= maxAttempts && !stop.signal.aborted; attempt++) {
      try {
        const res = await doFetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'aegis-webhooks',
            'x-aegis-event': event.type,
            'x-aegis-delivery': `${event.id}`,
            ...(target.secret ? signWebhook(target.secret, body, Math.floor(now() / 1000)) : {}),
          },
          body,
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await res.body?.cancel().catch(() => {});
        span?.setAttributes({ 'http.response.status_code': res.status, 'aegis.delivery.attempts': attempt });
        if (res.ok) return;
        if (res.status < 500 && res.status !== 408 && res.status !== 429) {
          span?.setStatus({ code: SpanStatusCode.ERROR, message: `rejected with ${res.status}` });
          options.onError?.('webhook rejected the event; not retrying', {
            url: target.url,
            status: res.status,
          });
          return;
        }
      } catch {
        // Network error or timeout: retried below.
      }
      if (attempt < maxAttempts) {
        const delay = Math.min(60_000, baseDelayMs * 2 ** (attempt - 1)) * (0.8 + random() * 0.4);
        await sleep(delay);
      }
    }
    span?.setStatus({ code: SpanStatusCode.ERROR, message: 'delivery failed' });
    if (!stop.signal.aborted) {
      options.onError?.('webhook delivery failed after retries', { url: target.url, eventId: event.id });
    }
  }

  async function drain(q: (typeof queues)[number]) {
    if (q.running) return;
    q.running = true;
    try {
      for (let e = q.queue.shift(); e && !stop.signal.aborted; e = q.queue.shift())
        await deliver(q.target, e);
    } finally {
      q.running = false;
    }
  }

  const unsubscribe = aegis.subscribe((event) => {
    for (const q of queues) {
      if (!wants(q.target, event.type)) continue;
      q.queue.push(event);
      if (q.queue.length > maxQueue) {
        q.queue.shift();
        options.onError?.('webhook queue full; dropped the oldest event', { url: q.target.url });
      }
      void drain(q);
    }
  });

  return {
    /** Events waiting per target (for tests and diagnostics). */
    pending: () => queues.map((q) => q.queue.length),
    close() {
      unsubscribe();
      stop.abort();
    },
  };
}
