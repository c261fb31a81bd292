import type { AegisEvent } from './events.js';

export type EventListener = (event: AegisEvent) => void;

/** Fans durable events out to in-process subscribers, per session or for all sessions. */
export class EventHub {
  readonly #bySession = new Map<string, Set<EventListener>>();
  readonly #all = new Set<EventListener>();

  subscribe(listener: EventListener, sessionId?: string): () => void {
    let set = this.#all;
    if (sessionId !== undefined) {
      let s = this.#bySession.get(sessionId);
      if (!s) this.#bySession.set(sessionId, (s = new Set()));
      set = s;
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (sessionId !== undefined && set.size === 0) this.#bySession.delete(sessionId);
    };
  }

  publish(events: readonly AegisEvent[]): void {
    for (const event of events) {
      const listeners = this.#bySession.get(event.sessionId);
      if (listeners) for (const l of listeners) safeCall(l, event);
      for (const l of this.#all) safeCall(l, event);
    }
  }

  get size(): number {
    let n = this.#all.size;
    for (const s of this.#bySession.values()) n += s.size;
    return n;
  }
}

function safeCall(listener: EventListener, event: AegisEvent): void {
  try {
    listener(event);
  } catch (err) {
    console.error('[aegis] event listener threw:', err);
  }
}
