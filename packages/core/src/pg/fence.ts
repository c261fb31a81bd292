import type pg from 'pg';
import { AegisError } from '../errors.js';

// Session ownership on the write path: what this node holds, the lease timestamps it is measured in,
// and the check every write makes inside its transaction.

/** A timestamp of the database's clock as ISO text (what `lease_until` and `heartbeat_at` hold). */
export const iso = (expr: string) => `to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The lease end for `$1` milliseconds from now. */
export const leaseEnd = (param: string) =>
  iso(`clock_timestamp() + make_interval(secs => ${param}::float8 / 1000)`);

/** What this node holds: its id, the lease length and the epoch of every session it owns. */
export interface FenceState {
  node: string | null;
  leaseMs: number;
  /** Session id → the epoch this node holds it under. */
  owned: Map<string, number>;
  /**
   * Sessions this node held and lost (taken over, or given up): their later writes are refused at
   * once, without a round trip — a node that lost a busy session must not hold the append lock
   * re-checking each of its batches. Cleared when the node takes the session (back) on.
   */
  lost: Set<string>;
  /** Told when a write was refused for a session another node took over. */
  onFenced?: ((sessionId: string) => void) | undefined;
}

export const leaseLost = (sessionId: string, node: string | null) =>
  new AegisError(
    'LEASE_LOST',
    `Session ${sessionId} is owned by another node now${node ? ` (${node})` : ''}: this node's lease on it ran out and it was taken over, so this write was refused and nothing of it was stored.`,
    { details: { sessionId, owner: node } },
  );

/**
 * Checks, inside the write's transaction, that this node still owns every session the batch
 * touches (locking their rows until commit, so a takeover waits for the write or the write sees
 * the takeover). Returns the ids with no row yet: new sessions, inserted as owned by this node.
 */
export async function fence(
  client: pg.PoolClient,
  state: FenceState,
  ids: Set<string>,
): Promise<Set<string>> {
  const fresh = new Set(ids);
  if (!state.node || ids.size === 0) return fresh;
  const { rows } = await client.query<{ id: string; owner_node: string | null; owner_epoch: number }>(
    'select "id", "owner_node", "owner_epoch" from "sessions" where "id" = any($1::text[]) for update',
    [[...ids]],
  );
  for (const r of rows) {
    fresh.delete(r.id);
    const mine = state.owned.get(r.id);
    if (mine === undefined || r.owner_node !== state.node || r.owner_epoch !== mine) {
      // Told once: a group retried batch by batch meets the same refusal again.
      markLost(state, r.id);
      if (state.owned.delete(r.id)) state.onFenced?.(r.id);
      throw leaseLost(r.id, r.owner_node);
    }
  }
  // New sessions are inserted owned by this node, epoch 1 (a rolled-back insert is simply inserted again).
  for (const id of fresh) state.owned.set(id, 1);
  return fresh;
}

/** The first session of `ids` this node is known to have lost (its write is refused at once), if any. */
export function knownLost(state: FenceState, ids: Iterable<string>): string | undefined {
  if (!state.node || state.lost.size === 0) return undefined;
  for (const id of ids) if (state.lost.has(id)) return id;
  return undefined;
}

/** Remembers a lost session (the oldest are forgotten past 10 000: their writes then meet the fence in the database). */
export function markLost(state: FenceState, id: string): void {
  state.lost.add(id);
  if (state.lost.size > 10_000) state.lost.delete(state.lost.values().next().value as string);
}
