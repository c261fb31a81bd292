import { AegisError } from '../errors.js';
import { closedError, unavailable } from './store-errors.js';

export interface GuardContext {
  /** `host:port/database`, for messages. */
  where: string;
  isClosed: () => boolean;
}

/** Runs one store operation: refused once the store is closed, driver errors mapped to `STORE_UNAVAILABLE`. */
export async function guarded<T>(
  ctx: GuardContext,
  verb: 'read from' | 'write to',
  fn: () => Promise<T>,
): Promise<T> {
  if (ctx.isClosed()) throw closedError(ctx.where);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AegisError) throw err;
    throw unavailable(
      ctx.where,
      verb,
      err,
      verb === 'write to'
        ? 'Nothing was changed; check that PostgreSQL is running and reachable, then retry.'
        : 'Check that PostgreSQL is running and reachable.',
    );
  }
}
