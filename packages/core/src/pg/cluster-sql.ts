import { LIVE_STATUSES } from '../schemas.js';
import { leaseEnd } from './fence.js';

/* The cluster's queries over live sessions, which every node runs every few seconds (cluster.ts). */

/**
 * The states of a session that has not ended, as `$1` of the queries below. Named rather than
 * "not ended" (`<> all(ended)`): an ended session keeps its `owner_node`, so a node's history grows
 * for ever, and only `= any(live)` lets the status index skip it (a heartbeat over 50,000 ended
 * sessions of its node took 250 ms as `<> all`, under 1 ms as `= any`).
 */
export const LIVE = [...LIVE_STATUSES];
/** A session another node may take: not ended, and nobody holds a running lease on it. */
export const free = (t = '') => `${t}"status" = any($1::text[])
  and (${t}"owner_node" is null or ${t}"lease_until" is null or ${t}"lease_until"::timestamptz < clock_timestamp())`;

/**
 * The reads and writes over the sessions table that every node runs on each heartbeat and adoption
 * round; `$1` is {@link LIVE} in each. Exported for the test that holds them to the status index.
 */
export const LIVE_SESSION_SQL = {
  /** `$2` this node, `$3` the lease in ms. */
  reclaimOwn: `update "sessions" set "owner_epoch" = "owner_epoch" + 1, "lease_until" = ${leaseEnd('$3')}
         where "owner_node" = $2 and "status" = any($1::text[])
         returning "data", "owner_epoch", "owner_node" as "from_node"`,
  /** `$2` this node, `$3` the lease in ms. */
  renewLeases: `update "sessions" set "lease_until" = ${leaseEnd('$3')}
         where "owner_node" = $2 and "status" = any($1::text[]) returning "id", "owner_epoch"`,
  /** `$2` this node, `$3` how many. */
  adoptable: `select "data" from "sessions" where ${free()} and ("owner_node" is distinct from $2)
         order by "updated_at" asc limit $3`,
  liveByNode: `select "owner_node", count(*)::int as "n" from "sessions" where "status" = any($1::text[]) group by "owner_node"`,
} as const;
