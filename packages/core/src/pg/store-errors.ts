import { AegisError } from '../errors.js';

/** A PostgreSQL server error carries a five-character SQLSTATE in `code`; a socket error a Node errno code. */
const sqlState = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The server reported an error (as opposed to a connection, socket or client-side failure). */
export const isServerError = (err: unknown): boolean =>
  err instanceof Error && sqlState(err) !== undefined && 'severity' in err;

/**
 * A failure caused by one caller's data, not by the store: an integrity constraint (23xxx: a
 * duplicate `seq`), a data exception (22xxx: a value PostgreSQL cannot hold), or anything thrown
 * before a statement was sent (serialising the batch).
 */
export const isCallerError = (err: unknown): boolean => {
  const state = sqlState(err);
  if (state) return state.startsWith('23') || state.startsWith('22');
  return !isConnectionError(err);
};

/** Connection-level failures: the server is down, restarting, unreachable or out of connections. */
export const isConnectionError = (err: unknown): boolean => {
  const state = sqlState(err);
  if (state) return /^(08|57P0|53300)/.test(state);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, …
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i.test(
    message,
  );
};

/**
 * Worth retrying as it is: a connection problem (a restart, a failover), a serialization failure
 * or deadlock (40001, 40P01), a lock timeout (55P03). The store holds or retries such writes.
 */
export const isTransientError = (err: unknown): boolean => {
  const state = sqlState(err);
  if (state && /^(40001|40P01|55P03)$/.test(state)) return true;
  return isConnectionError(err);
};

export function callerError(err: unknown): AegisError {
  const state = sqlState(err);
  if (state) {
    return new AegisError(
      'CONFLICT',
      `The write conflicts with stored data (${(err as Error).message}); nothing of it was written. ` +
        'Event seq numbers must be unique per session.',
      { cause: err, details: { pgCode: state } },
    );
  }
  return AegisError.fromUnknown(err);
}

export function unavailable(where: string, verb: string, err: unknown, advice: string): AegisError {
  const reason = err instanceof Error ? err.message || String((err as { code?: unknown }).code) : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new AegisError(
    'STORE_UNAVAILABLE',
    `Could not ${verb} the PostgreSQL store at ${where}: ${reason}. ${advice}`,
    {
      cause: err,
      details: { location: where, ...(typeof code === 'string' ? { pgCode: code } : {}) },
    },
  );
}

export const closedError = (where: string): AegisError =>
  new AegisError(
    'STORE_UNAVAILABLE',
    `The PostgreSQL store at ${where} is closed; open a new store to continue.`,
    {
      details: { location: where },
    },
  );
