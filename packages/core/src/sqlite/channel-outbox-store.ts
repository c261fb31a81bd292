import type { ChannelOutboxStore } from '../channel-outbox.js';
import {
  insertParams,
  OUTBOX_SQL,
  type OutboxRow,
  outboxItemFromRow,
  statsFromRows,
} from '../channel-outbox-rows.js';
import type { AegisDatabase } from './open-database.js';
import { closedError, unavailable } from './store-errors.js';

/** SQLite {@link ChannelOutboxStore} on the session store's connection; see channel-outbox-rows.ts. */
export function createSqliteChannelOutbox(
  db: AegisDatabase,
  opts: { path: string; isClosed: () => boolean },
): ChannelOutboxStore {
  const client = db.$client;
  const prep = (sql: string) => client.prepare(sql.replace(/\$\d+/g, '?'));
  const s = Object.fromEntries(Object.entries(OUTBOX_SQL).map(([k, v]) => [k, prep(v)])) as {
    [K in keyof typeof OUTBOX_SQL]: ReturnType<typeof prep>;
  };
  function guard<T>(verb: string, fn: () => T): Promise<T> {
    if (opts.isClosed()) return Promise.reject(closedError(opts.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(unavailable(opts.path, verb, err, 'Check the database file and retry.'));
    }
  }
  const enqueue = client.transaction(
    (channel: string, events: Parameters<ChannelOutboxStore['enqueue']>[1], through: number, now: string) => {
      let inserted = 0;
      for (const e of events) inserted += s.insert.run(...insertParams(channel, e, now)).changes;
      s.advance.run(through, now, channel, through);
      return inserted;
    },
  );
  const settle = client.transaction((channel: string, now: string) => {
    const rows = s.interrupted.all(channel) as OutboxRow[];
    s.settle.run(now, channel);
    return rows.map((r) => ({ ...outboxItemFromRow(r), state: 'unconfirmed' as const, updatedAt: now }));
  });
  return {
    start(channel, now) {
      return guard('write to', () => {
        const latest = (s.latestEvent.get() as { id: number }).id;
        s.startCursor.run(channel, latest, now);
        return (s.cursor.get(channel) as { through: number }).through;
      });
    },
    enqueue(channel, events, through, now) {
      return guard('write to', () => enqueue(channel, events, through, now));
    },
    due(channel, now, limit) {
      return guard('read from', () => (s.due.all(channel, now, limit) as OutboxRow[]).map(outboxItemFromRow));
    },
    begin(id, now) {
      return guard('write to', () => s.begin.run(now, id).changes > 0);
    },
    finish(id, o, now) {
      return guard('write to', () => {
        if (o.state === 'sent') s.sent.run(o.ref ?? null, now, id);
        else if (o.state === 'pending') s.retry.run(o.nextAttemptAt, o.error, now, id);
        else s.failed.run(o.error, now, id);
      });
    },
    settleInterrupted(channel, now) {
      return guard('write to', () => settle(channel, now));
    },
    get(id) {
      return guard('read from', () => {
        const row = s.get.get(id) as OutboxRow | undefined;
        return row && outboxItemFromRow(row);
      });
    },
    stats(channel) {
      return guard('read from', () =>
        statsFromRows(s.stats.all(channel) as { state: string; n: number; oldest: string | null }[]),
      );
    },
    prune(before) {
      return guard('write to', () => {
        s.pruneUpdates.run(before);
        return s.prune.run(before).changes;
      });
    },
    claimUpdate(channel, updateId, now) {
      return guard('write to', () => s.claimUpdate.run(channel, updateId, now).changes > 0);
    },
    getValue(channel, key) {
      return guard('read from', () => (s.getValue.get(channel, key) as { value: string } | undefined)?.value);
    },
    setValue(channel, key, value, now) {
      return guard('write to', () => {
        s.setValue.run(channel, key, value, now);
      });
    },
  };
}
