// `/v1/usage` over a large ledger: rows written through the store (turns + day rollups, as the
// recorder writes them), then the grouped reads timed through a real server.
import { join } from 'node:path';
import { createSqliteStore } from '@aegis/core/sqlite';
import { startAegis, tempRoot } from './aegis.mjs';
import { timedGet } from './http.mjs';
import { percentile } from './proc.mjs';

const DAY_MS = 86_400_000;

export async function usageLedger(size) {
  const t = tempRoot('usage');
  const store = createSqliteStore({ path: join(t.root, 'state', 'aegis.db') });
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
  const batch = 10_000;
  const seedStart = performance.now();
  for (let done = 0; done < size.ledgerRows; done += batch) {
    const usage = [];
    for (let i = done; i < Math.min(done + batch, size.ledgerRows); i++) {
      const at = new Date(today - (i % 90) * DAY_MS).toISOString();
      usage.push({
        sessionId: `s${i % 20_000}`,
        turnId: `t${i}`,
        at,
        day: at.slice(0, 10),
        ownerId: `key${i % 25}`,
        templateId: i % 3 === 0 ? null : `tpl${i % 8}`,
        model: `model-${i % 4}`,
        workDir: `/work/${i % 40}`,
        inputTokens: 1000 + (i % 500),
        outputTokens: 200,
        cachedReadTokens: 50,
        cachedWriteTokens: 0,
        costUsd: 0.01,
        costSource: 'agent',
        toolCalls: i % 5,
        durationMs: 1500,
        outcome: 'completed',
      });
    }
    await store.write({ usage });
  }
  const seedMs = performance.now() - seedStart;
  await store.close();
  const server = await startAegis(t.root);
  const rows = [];
  try {
    const p99Of = async (path) => {
      for (let i = 0; i < 3; i++) await timedGet(server.url, path);
      const lat = [];
      for (let i = 0; i < size.usageReads; i++) lat.push(await timedGet(server.url, path));
      return { p99: percentile(lat, 99), p50: percentile(lat, 50) };
    };
    for (const groupBy of ['day', 'model', 'key', 'template,model', 'day,key,model']) {
      const { p99, p50 } = await p99Of(`/v1/usage?groupBy=${groupBy}`);
      rows.push({
        scenario: 'usageLedger',
        metric: `/v1/usage?groupBy=${groupBy} over ${size.ledgerRows} rows, 30 days (p99)`,
        value: p99,
        unit: 'ms',
        floor: 'p99 <= 50 ms',
        met: p99 <= 50,
        p50Ms: p50,
      });
    }
    const s = await p99Of('/v1/usage?groupBy=session&limit=50');
    rows.push({
      scenario: 'usageLedger',
      metric: `/v1/usage?groupBy=session (top 50) over ${size.ledgerRows} rows, 30 days (p99)`,
      value: s.p99,
      unit: 'ms',
      p50Ms: s.p50,
    });
    rows.push({
      scenario: 'usageLedger',
      metric: `  writing ${size.ledgerRows} ledger rows`,
      value: seedMs,
      unit: 'ms',
    });
  } finally {
    await server.stop();
  }
  return rows;
}
