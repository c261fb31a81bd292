import type { OutboxItem, OutboxState, OutboxStats } from './channel-outbox.js';
import type { AegisEvent } from './events.js';

/*
 * The `channel_outbox`, `channel_cursors`, `channel_values` and `channel_updates` tables as both SQL stores use them:
 * the same statements run on SQLite and PostgreSQL (`$n` placeholders; SQLite's store rewrites
 * them to `?`, so each placeholder appears once and in order). No driver imports here.
 */

/** A row of `channel_outbox` as the driver returns it (PostgreSQL returns bigint ids as text). */
export interface OutboxRow {
  id: number | string;
  channel: string;
  event_id: number | string;
  session_id: string;
  seq: number;
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  ref: string | null;
  created_at: string;
  updated_at: string;
  event: string;
}

export function outboxItemFromRow(r: OutboxRow): OutboxItem {
  return {
    id: Number(r.id),
    channel: r.channel,
    eventId: Number(r.event_id),
    sessionId: r.session_id,
    seq: r.seq,
    state: r.state as OutboxState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    ref: r.ref,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    event: JSON.parse(r.event) as AegisEvent,
  };
}

/** Parameters of {@link OUTBOX_SQL.insert} for one event. */
export const insertParams = (channel: string, e: AegisEvent, now: string) => [
  channel,
  e.id,
  e.sessionId,
  e.seq,
  now,
  now,
  now,
  JSON.stringify(e),
];

export const OUTBOX_SQL = {
  insert: `insert into "channel_outbox" ("channel", "event_id", "session_id", "seq", "state", "attempts",
      "next_attempt_at", "last_error", "ref", "created_at", "updated_at", "event")
    values ($1, $2, $3, $4, 'pending', 0, $5, null, null, $6, $7, $8)
    on conflict ("channel", "event_id") do nothing`,
  /** Creates the cursor at `$2` when the channel has none. */
  startCursor: `insert into "channel_cursors" ("channel", "through", "updated_at") values ($1, $2, $3)
    on conflict ("channel") do nothing`,
  cursor: 'select "through" from "channel_cursors" where "channel" = $1',
  advance: `update "channel_cursors" set "through" = $1, "updated_at" = $2
    where "channel" = $3 and "through" < $4`,
  due: `select * from "channel_outbox" o
    where o."channel" = $1 and o."state" = 'pending' and o."next_attempt_at" <= $2
      and not exists (select 1 from "channel_outbox" p where p."channel" = o."channel"
        and p."session_id" = o."session_id" and p."state" in ('pending', 'sending') and p."seq" < o."seq")
    order by o."next_attempt_at", o."id" limit $3`,
  begin: `update "channel_outbox" set "state" = 'sending', "attempts" = "attempts" + 1, "updated_at" = $1
    where "id" = $2 and "state" = 'pending'`,
  sent: `update "channel_outbox" set "state" = 'sent', "ref" = $1, "updated_at" = $2
    where "id" = $3 and "state" = 'sending'`,
  retry: `update "channel_outbox" set "state" = 'pending', "next_attempt_at" = $1, "last_error" = $2,
      "updated_at" = $3 where "id" = $4 and "state" = 'sending'`,
  failed: `update "channel_outbox" set "state" = 'failed', "last_error" = $1, "updated_at" = $2
    where "id" = $3 and "state" = 'sending'`,
  interrupted: `select * from "channel_outbox" where "channel" = $1 and "state" = 'sending' order by "id"`,
  settle: `update "channel_outbox" set "state" = 'unconfirmed', "updated_at" = $1
    where "channel" = $2 and "state" = 'sending'`,
  get: 'select * from "channel_outbox" where "id" = $1',
  stats: `select "state", count(*) as "n", min("created_at") as "oldest" from "channel_outbox"
    where "channel" = $1 group by "state"`,
  prune: `delete from "channel_outbox" where "state" in ('sent', 'failed', 'unconfirmed') and "updated_at" < $1`,
  getValue: 'select "value" from "channel_values" where "channel" = $1 and "key" = $2',
  setValue: `insert into "channel_values" ("channel", "key", "value", "updated_at") values ($1, $2, $3, $4)
    on conflict ("channel", "key") do update set "value" = excluded."value", "updated_at" = excluded."updated_at"`,
  claimUpdate: `insert into "channel_updates" ("channel", "update_id", "at") values ($1, $2, $3)
    on conflict ("channel", "update_id") do nothing`,
  pruneUpdates: 'delete from "channel_updates" where "at" < $1',
  latestEvent: 'select coalesce(max("id"), 0) as "id" from "events"',
} as const;

export function statsFromRows(
  rows: { state: string; n: number | string; oldest: string | null }[],
): OutboxStats {
  const stats: OutboxStats = {
    pending: 0,
    sending: 0,
    sent: 0,
    failed: 0,
    unconfirmed: 0,
    oldestPendingAt: null,
  };
  for (const r of rows) {
    if (r.state in stats && r.state !== 'oldestPendingAt')
      (stats as unknown as Record<string, number>)[r.state] = Number(r.n);
    if (r.state === 'pending') stats.oldestPendingAt = r.oldest;
  }
  return stats;
}
