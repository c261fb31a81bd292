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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
