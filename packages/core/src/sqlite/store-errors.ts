import Database from 'better-sqlite3';
import { AegisError } from '../errors.js';

/** A failure caused by one caller's data (a constraint, an unserialisable value), not by the store. */
export const isCallerError = (err: unknown): boolean =>
  !(err instanceof Database.SqliteError) || err.code.startsWith('SQLITE_CONSTRAINT');

/** Another connection holds the lock: transient, worth retrying. */
export const isLockError = (err: unknown): boolean =>
  err instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code);

export function callerError(err: unknown): AegisError {
  if (err instanceof Database.SqliteError) {
    return new AegisError(
      'CONFLICT',
      `The write conflicts with stored data (${err.message}); nothing of it was written. ` +
        'Event seq numbers must be unique per session.',
      { cause: err, details: { sqliteCode: err.code } },
    );
  }
  return AegisError.fromUnknown(err);
}

export function unavailable(path: string, verb: string, err: unknown, advice: string): AegisError {
  const reason = err instanceof Error ? err.message : String(err);
  const sqliteCode = err instanceof Database.SqliteError ? err.code : undefined;
  return new AegisError(
    'STORE_UNAVAILABLE',
    `Could not ${verb} the session store at ${path}: ${reason}. ${advice}`,
    { cause: err, details: { path, ...(sqliteCode ? { sqliteCode } : {}) } },
  );
}

export const closedError = (path: string): AegisError =>
  new AegisError(
    'STORE_UNAVAILABLE',
    `The session store at ${path} is closed; open a new store to continue.`,
    {
      details: { path },
    },
  );
