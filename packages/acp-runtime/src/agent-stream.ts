import type { Readable, Writable } from 'node:stream';
import type { AnyMessage, Stream } from '@agentclientprotocol/sdk';

export interface AgentStreamOptions {
  /**
   * A line that is not a JSON object (a stray `console.log`, a crash banner). It never reaches the
   * protocol layer, which would silently answer it with a parse error.
   */
  onGarbage(line: string): void;
  /** A line longer than `maxLineBytes`; the stream ends with an error after it. */
  onTooLarge(bytes: number): void;
  /**
   * Offered every message, in stream order, at the moment the protocol layer would read it; return
   * true to take it (it is not passed on). Lets hot messages skip the per-message async machinery.
   */
  intercept?: ((message: Record<string, unknown>) => boolean) | undefined;
  /** Default 32 MiB, the SDK's own limit. */
  maxLineBytes?: number | undefined;
}

/** Unread parsed messages past which the agent's stdout is paused until the protocol layer catches up. */
const HIGH_WATER = 4096;
/** Messages taken by `intercept` in one go before the stream yields to the event loop. */
const SLICE = 64;

/**
 * The ACP {@link Stream} over an agent's stdio: newline-delimited JSON, each line decoded and parsed
 * once (the SDK's `ndJsonStream` behind a line filter decoded and parsed every line twice, and
 * passed each one through two web streams).
 */
export function agentStream(stdout: Readable, stdin: Writable, options: AgentStreamOptions): Stream {
  const maxLineBytes = options.maxLineBytes ?? 32 * 1024 * 1024;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let queue: Record<string, unknown>[] = [];
  let head = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let paused = false;
  // What the agent wrote is taken in from the check phase (setImmediate), in slices of SLICE
  // messages, so HTTP requests that arrived in the same turn of the event loop are answered first,
  // and between slices. Messages are still handled one at a time in stream order.
  let wakeScheduled = false;
  let cancelled = false;
  const wakeSoon = () => {
    if (wakeScheduled) return;
    wakeScheduled = true;
    setImmediate(() => {
      wakeScheduled = false;
      wake?.();
    });
  };

  const onLine = (text: string) => {
    const line = text.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      queue.push(value as Record<string, unknown>);
    } else {
      options.onGarbage(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    }
  };

  const onData = (chunk: Buffer) => {
    if (failure) return;
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      partial.push(chunk);
      partialBytes += chunk.length;
    } else {
      // Splitting UTF-8 at a newline byte never cuts a character, so whole lines decode at once.
      const complete = partial.length > 0 ? Buffer.concat([...partial, chunk.subarray(0, last)]) : chunk;
      const end = partial.length > 0 ? complete.length : last;
      const lines = complete.toString('utf8', 0, end).split('\n');
      for (const line of lines) onLine(line);
      partial = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
      partialBytes = chunk.length - last - 1;
    }
    if (partialBytes > maxLineBytes) {
      failure = new Error(`Incoming ACP data exceeds the configured ${maxLineBytes} byte limit`);
      options.onTooLarge(partialBytes);
      partial = [];
    }
    if (queue.length - head > HIGH_WATER && !paused) {
      paused = true;
      stdout.pause();
    }
    wakeSoon();
  };
  const onEnd = () => {
    if (partialBytes > 0 && !failure) onLine(Buffer.concat(partial).toString('utf8'));
    partial = [];
    partialBytes = 0;
    ended = true;
    wake?.();
  };
  stdout.on('data', onData);
  stdout.once('end', onEnd);
  stdout.once('close', onEnd);

  const readable = new ReadableStream<AnyMessage>(
    {
      async pull(controller) {
        let taken = 0;
        for (;;) {
          while (head < queue.length) {
            const message = queue[head++] as Record<string, unknown>;
            if (options.intercept?.(message)) {
              if (++taken < SLICE) continue;
              taken = 0;
              settle();
              await new Promise<void>((resolve) => setImmediate(resolve));
              if (cancelled) return;
              continue;
            }
            controller.enqueue(message as AnyMessage);
            settle();
            return;
          }
          settle();
          if (failure) return controller.error(failure);
          if (ended) return controller.close();
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      },
      cancel() {
        stdout.off('data', onData);
        ended = true;
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );

  /** Drops consumed messages and lets the agent write again once the backlog is read. */
  function settle() {
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    } else if (head === queue.length) {
      queue = [];
      head = 0;
    }
    if (paused && queue.length - head <= HIGH_WATER / 2) {
      paused = false;
      stdout.resume();
    }
  }

  const writable = new WritableStream<AnyMessage>({
    write(message) {
      return new Promise<void>((resolve, reject) => {
        stdin.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve()));
      });
    },
  });
  return { readable, writable };
}
