import type { Session } from './schemas.js';

/** JSON text of live-session snapshots, made once per change (see `LiveSession.snapshot`). */
const texts = new WeakMap<Session, string>();

/** A deep-frozen copy of `session` whose JSON text {@link sessionJson} answers without serializing it again. */
export function frozenSessionCopy(session: Session): Session {
  const text = JSON.stringify(session);
  const copy = deepFreeze(JSON.parse(text) as Session);
  texts.set(copy, text);
  return copy;
}

/**
 * `JSON.stringify(session)`, made once per change for the sessions the engine runs (what
 * `aegis.sessions.get` and `list` return for them), so a server answering many reads of a busy
 * session does not serialize it for each one.
 *
 * @example
 * const body = `{"sessions":[${page.sessions.map(sessionJson).join(',')}]}`;
 */
export function sessionJson(session: Session): string {
  return texts.get(session) ?? JSON.stringify(session);
}

/**
 * One session's latest {@link frozenSessionCopy}, made again only after a top-level field of the
 * session was assigned anew (see `LiveSession.snapshot`).
 */
export class SnapshotCache {
  #copy: Session | undefined;
  /** The session's top-level values when `#copy` was made. */
  #seen: Session | undefined;

  of(session: Session): Session {
    const seen = this.#seen;
    if (this.#copy && seen && sameTopLevel(session, seen)) return this.#copy;
    this.#seen = { ...session };
    this.#copy = frozenSessionCopy(session);
    return this.#copy;
  }
}

/** Whether no top-level field of `session` was assigned since `seen` was copied from it. */
function sameTopLevel(session: Session, seen: Session): boolean {
  for (const key in session) {
    if (session[key as keyof Session] !== seen[key as keyof Session]) return false;
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
