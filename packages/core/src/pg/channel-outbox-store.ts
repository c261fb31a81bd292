import type { ChannelOutboxStore } from '../channel-outbox.js';
import {
  insertParams,
  OUTBOX_SQL,
  type OutboxRow,
  outboxItemFromRow,
  statsFromRows,
} from '../channel-outbox-rows.js';
import { type GuardContext, guarded } from './guard.js';
import type { PgDatabase } from './open-database.js';

/**
 * PostgreSQL {@link ChannelOutboxStore}. Several nodes may feed one channel: an event is queued
 * once (the unique (channel, event_id) key), and `begin` lets exactly one of them take an item.
 */
export function createPgChannelOutbox(db: PgDatabase, ctx: GuardContext): ChannelOutboxStore {
  const pool = db.$client;
  const q = <T extends object>(sql: string, params: unknown[]) => pool.query<T>(sql, params);
  return {
    start(channel, now) {
      return guarded(ctx, 'write to', async () => {
        const latest = await q<{ id: string }>(OUTBOX_SQL.latestEvent, []);
        await q(OUTBOX_SQL.startCursor, [channel, Number(latest.rows[0]?.id ?? 0), now]);
        const { rows } = await q<{ through: string }>(OUTBOX_SQL.cursor, [channel]);
        return Number(rows[0]?.through ?? 0);
      });
    },
    enqueue(channel, events, through, now) {
      return guarded(ctx, 'write to', async () => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          let inserted = 0;
          for (const e of events)
            inserted += (await client.query(OUTBOX_SQL.insert, insertParams(channel, e, now))).rowCount ?? 0;
          await client.query(OUTBOX_SQL.advance, [through, now, channel, through]);
          await client.query('commit');
          return inserted;
        } catch (err) {
          await client.query('rollback').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
      });
    },
    due(channel, now, limit) {
      return guarded(ctx, 'read from', async () =>
        (await q<OutboxRow>(OUTBOX_SQL.due, [channel, now, limit])).rows.map(outboxItemFromRow),
      );
    },
    begin(id, now) {
      return guarded(ctx, 'write to', async () => ((await q(OUTBOX_SQL.begin, [now, id])).rowCount ?? 0) > 0);
    },
    finish(id, o, now) {
      return guarded(ctx, 'write to', async () => {
        if (o.state === 'sent') await q(OUTBOX_SQL.sent, [o.ref ?? null, now, id]);
        else if (o.state === 'pending') await q(OUTBOX_SQL.retry, [o.nextAttemptAt, o.error, now, id]);
        else await q(OUTBOX_SQL.failed, [o.error, now, id]);
      });
    },
    settleInterrupted(channel, now) {
      return guarded(ctx, 'write to', async () => {
        const { rows } = await q<OutboxRow>(
          `update "channel_outbox" set "state" = 'unconfirmed', "updated_at" = $1
           where "channel" = $2 and "state" = 'sending' returning *`,
          [now, channel],
        );
        return rows.map(outboxItemFromRow).sort((a, b) => a.id - b.id);
      });
    },
    get(id) {
      return guarded(ctx, 'read from', async () => {
        const { rows } = await q<OutboxRow>(OUTBOX_SQL.get, [id]);
        return rows[0] && outboxItemFromRow(rows[0]);
      });
    },
    stats(channel) {
      return guarded(ctx, 'read from', async () =>
        statsFromRows(
          (await q<{ state: string; n: string; oldest: string | null }>(OUTBOX_SQL.stats, [channel])).rows,
        ),
      );
    },
    prune(before) {
      return guarded(ctx, 'write to', async () => {
        await q(OUTBOX_SQL.pruneUpdates, [before]);
        return (await q(OUTBOX_SQL.prune, [before])).rowCount ?? 0;
      });
    },
    claimUpdate(channel, updateId, now) {
      return guarded(
        ctx,
        'write to',
        async () => ((await q(OUTBOX_SQL.claimUpdate, [channel, updateId, now])).rowCount ?? 0) > 0,
      );
    },
    getValue(channel, key) {
      return guarded(
        ctx,
        'read from',
        async () => (await q<{ value: string }>(OUTBOX_SQL.getValue, [channel, key])).rows[0]?.value,
      );
    },
    setValue(channel, key, value, now) {
      return guarded(ctx, 'write to', async () => {
        await q(OUTBOX_SQL.setValue, [channel, key, value, now]);
      });
    },
  };
}
