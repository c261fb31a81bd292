import {
  sortGroups,
  type UsageDimension,
  type UsageGroup,
  type UsageQuery,
  type UsageRecord,
} from './usage.js';

const COLUMN: Record<UsageDimension, string> = {
  day: '"day"',
  key: '"owner_id"',
  template: '"template_id"',
  model: '"model"',
  session: '"session_id"',
  workDir: '"work_dir"',
};

/**
 * The grouped read of the usage ledger, for both SQL stores, from the rollups kept with each
 * ledger row ('' stands for an absent value in both): without a `session` grouping or filter the
 * day rollups (`usage_daily`), else the per-session day rollups (`usage_session_daily`) — never the
 * turns themselves. `param(i)` writes the i-th placeholder (`?` or `$i`).
 */
export function usageSql(q: UsageQuery, param: (i: number) => string): { text: string; values: unknown[] } {
  const perSession = q.groupBy.includes('session') || q.sessionId !== undefined;
  const table = perSession ? '"usage_session_daily"' : '"usage_daily"';
  const values: unknown[] = [];
  /** The range, owner and session conditions, with their values appended (written once per use). */
  const conditions = () => {
    values.push(q.from, q.to);
    const where = [`"day" >= ${param(values.length - 1)}`, `"day" <= ${param(values.length)}`];
    if (q.ownerId !== undefined) {
      values.push(q.ownerId ?? '');
      where.push(`"owner_id" = ${param(values.length)}`);
    }
    if (q.sessionId !== undefined) {
      values.push(q.sessionId);
      where.push(`"session_id" = ${param(values.length)}`);
    }
    return where.join(' and ');
  };
  const dims = q.groupBy.map((d) => `${COLUMN[d]} as "${d}"`);
  const sums = [
    'sum("turns") as "turns"',
    ...[
      ['input_tokens', 'inputTokens'],
      ['output_tokens', 'outputTokens'],
      ['cached_read_tokens', 'cachedReadTokens'],
      ['cached_write_tokens', 'cachedWriteTokens'],
      ['duration_ms', 'durationMs'],
      ['tool_calls', 'toolCalls'],
    ].map(([c, a]) => `sum("${c}") as "${a}"`),
    'coalesce(sum("cost_usd"), 0) as "costUsd"',
  ];
  const select = `select ${[...dims, ...sums].join(', ')} from ${table}`;
  const group = q.groupBy.length ? ` group by ${q.groupBy.map((d) => COLUMN[d]).join(', ')}` : '';
  const bySession = q.groupBy.includes('session');
  if (bySession && q.groupBy.length === 1 && q.limit !== undefined && q.sessionId === undefined) {
    // The costliest sessions: picked summing only the cost, then only they summed in full.
    const outer = conditions();
    const top = `select "session_id" from ${table} where ${conditions()} group by "session_id" order by coalesce(sum("cost_usd"), 0) desc limit ${Math.floor(q.limit)}`;
    return {
      text: `${select} where ${outer} and "session_id" in (${top})${group} order by "costUsd" desc`,
      values,
    };
  }
  const order = bySession ? ' order by "costUsd" desc' : '';
  const limit = q.limit !== undefined && bySession ? ` limit ${Math.floor(q.limit)}` : '';
  return { text: `${select} where ${conditions()}${group}${order}${limit}`, values };
}

/** Turns result rows (numbers may come back as strings from PostgreSQL) into sorted groups. */
export function usageGroups(rows: Record<string, unknown>[], q: UsageQuery): UsageGroup[] {
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const groups = rows
    .filter((r) => num(r.turns) > 0)
    .map((r) => {
      const g: UsageGroup = {
        turns: num(r.turns),
        inputTokens: num(r.inputTokens),
        outputTokens: num(r.outputTokens),
        cachedReadTokens: num(r.cachedReadTokens),
        cachedWriteTokens: num(r.cachedWriteTokens),
        totalTokens: 0,
        costUsd: num(r.costUsd),
        durationMs: num(r.durationMs),
        toolCalls: num(r.toolCalls),
      };
      g.totalTokens = g.inputTokens + g.outputTokens + g.cachedReadTokens + g.cachedWriteTokens;
      for (const d of q.groupBy) {
        const v = r[d] as string | null;
        (g as Record<string, unknown>)[d] = v === '' && d !== 'day' ? null : v;
      }
      return g;
    });
  return sortGroups(groups, { ...q, limit: q.groupBy.includes('session') ? undefined : q.limit });
}

/** A ledger row's parameters for `usage_turns`, in column order. */
export function usageTurnValues(u: UsageRecord): unknown[] {
  return [
    u.sessionId,
    u.turnId,
    u.at,
    u.day,
    u.ownerId,
    u.templateId,
    u.model,
    u.workDir,
    u.inputTokens,
    u.outputTokens,
    u.cachedReadTokens,
    u.cachedWriteTokens,
    u.costUsd,
    u.costSource,
    Math.round(u.durationMs),
    u.toolCalls,
    u.outcome,
  ];
}

export const USAGE_TURN_COLUMNS =
  '"session_id", "turn_id", "at", "day", "owner_id", "template_id", "model", "work_dir", "input_tokens", "output_tokens", "cached_read_tokens", "cached_write_tokens", "cost_usd", "cost_source", "duration_ms", "tool_calls", "outcome"';

/** A ledger row's parameters for the `usage_daily` upsert: the key ('' for absent), then the sums. */
export function usageDailyValues(u: UsageRecord): unknown[] {
  return [u.day, u.ownerId ?? '', u.templateId ?? '', u.model ?? '', u.workDir, ...usageSums(u)];
}

/** A ledger row's parameters for the `usage_session_daily` upsert: the key, then the sums. */
export function usageSessionDailyValues(u: UsageRecord): unknown[] {
  return [u.sessionId, u.day, u.ownerId ?? '', u.templateId ?? '', u.model ?? '', u.workDir, ...usageSums(u)];
}

function usageSums(u: UsageRecord): unknown[] {
  return [
    u.inputTokens,
    u.outputTokens,
    u.cachedReadTokens,
    u.cachedWriteTokens,
    u.costUsd ?? 0,
    Math.round(u.durationMs),
    u.toolCalls,
  ];
}

const SUMMED = [
  'input_tokens',
  'output_tokens',
  'cached_read_tokens',
  'cached_write_tokens',
  'cost_usd',
  'duration_ms',
  'tool_calls',
];

/** One turn added to its rollup row of `table` keyed by `key`; `param(i)` as in {@link usageSql}. */
function rollupUpsert(table: string, key: string[], param: (i: number) => string): string {
  const p = Array.from({ length: key.length + SUMMED.length }, (_, i) => param(i + 1));
  const cols = (names: string[]) => names.map((c) => `"${c}"`).join(', ');
  return `insert into "${table}" (${cols(key)}, "turns", ${cols(SUMMED)})
    values (${p.slice(0, key.length).join(', ')}, 1, ${p.slice(key.length).join(', ')})
    on conflict (${cols(key)}) do update set
      "turns" = "${table}"."turns" + 1,
      ${SUMMED.map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(',\n      ')}`;
}

/** The `usage_daily` upsert (one turn added to its day's rollup). */
export function usageDailyUpsert(param: (i: number) => string): string {
  return rollupUpsert('usage_daily', ['day', 'owner_id', 'template_id', 'model', 'work_dir'], param);
}

/** The `usage_session_daily` upsert (one turn added to its session's day rollup). */
export function usageSessionDailyUpsert(param: (i: number) => string): string {
  return rollupUpsert(
    'usage_session_daily',
    ['session_id', 'day', 'owner_id', 'template_id', 'model', 'work_dir'],
    param,
  );
}
