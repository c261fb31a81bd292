import { z } from 'zod';

/** What one turn used: the figures a ledger row and `turn.completed`/`turn.failed` carry. */
export const TurnUsage = z
  .object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedReadTokens: z.number().int(),
    cachedWriteTokens: z.number().int(),
    costUsd: z
      .number()
      .nullable()
      .describe('`null` when the agent reported no cost and the price table has no price for the model'),
    costSource: z
      .enum(['agent', 'price_table', 'none'])
      .describe(
        '`agent`: from the cost the agent reported; `price_table`: tokens × the configured price of the model',
      ),
    toolCalls: z.number().int(),
    model: z.string().nullable(),
  })
  .meta({ id: 'TurnUsage' });
export type TurnUsage = z.infer<typeof TurnUsage>;

/** One ledger row: one turn, with who ran it and where. */
export interface UsageRecord extends Omit<TurnUsage, 'model'> {
  sessionId: string;
  turnId: string;
  /** ISO time the turn ended. */
  at: string;
  /** UTC day of `at`, `YYYY-MM-DD`. */
  day: string;
  /** The API key (owner) the session belongs to; `null`: the local user. */
  ownerId: string | null;
  templateId: string | null;
  model: string | null;
  workDir: string;
  durationMs: number;
  outcome: 'completed' | 'failed';
}

export const UsageDimension = z.enum(['day', 'key', 'template', 'model', 'session', 'workDir']);
export type UsageDimension = z.infer<typeof UsageDimension>;

export interface UsageQuery {
  /** Inclusive UTC days, `YYYY-MM-DD`. */
  from: string;
  to: string;
  groupBy: UsageDimension[];
  /** Only this owner's turns (`null`: the local user's); omit for everyone's. */
  ownerId?: string | null | undefined;
  sessionId?: string | undefined;
  /** Most groups returned, the costliest first when grouped by session; default all. */
  limit?: number | undefined;
}

/** Sums over a group of ledger rows; the grouping fields present are those asked for. */
export const UsageGroup = z
  .object({
    day: z.string().optional(),
    key: z.string().nullable().optional().describe('Owner (API key id); `null` for the local user'),
    template: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    session: z.string().optional(),
    workDir: z.string().optional(),
    turns: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedReadTokens: z.number().int(),
    cachedWriteTokens: z.number().int(),
    totalTokens: z.number().int(),
    costUsd: z.number(),
    durationMs: z.number().int(),
    toolCalls: z.number().int(),
  })
  .meta({ id: 'UsageGroup' });
export type UsageGroup = z.infer<typeof UsageGroup>;

/** The usage ledger: one row per turn, and day rollups for fast grouped reads. */
export interface UsageStore {
  query(query: UsageQuery): Promise<UsageGroup[]>;
}

/** Price of a model per million tokens, in US dollars. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number | undefined;
  cacheWritePerMTok?: number | undefined;
}

/** Prices by model id; a `*` entry prices models not listed. Keys may end in `*` to match a prefix. */
export type PriceTable = Record<string, ModelPrice>;

export function priceFor(table: PriceTable | undefined, model: string | null): ModelPrice | undefined {
  if (!table) return undefined;
  if (model && table[model]) return table[model];
  if (model) {
    const prefix = Object.keys(table)
      .filter((k) => k.endsWith('*') && k !== '*' && model.startsWith(k.slice(0, -1)))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix) return table[prefix];
  }
  return table['*'];
}

/** Tokens × price, in US dollars; `null` without a price. */
export function costFromPrice(
  price: ModelPrice | undefined,
  t: Pick<TurnUsage, 'inputTokens' | 'outputTokens' | 'cachedReadTokens' | 'cachedWriteTokens'>,
): number | null {
  if (!price) return null;
  const cost =
    t.inputTokens * price.inputPerMTok +
    t.outputTokens * price.outputPerMTok +
    t.cachedReadTokens * (price.cacheReadPerMTok ?? price.inputPerMTok) +
    t.cachedWriteTokens * (price.cacheWritePerMTok ?? price.inputPerMTok);
  return cost / 1_000_000;
}

export const utcDay = (iso: string): string => iso.slice(0, 10);

export const totalTokensOf = (t: {
  inputTokens: number;
  outputTokens: number;
  cachedReadTokens: number;
  cachedWriteTokens: number;
}): number => t.inputTokens + t.outputTokens + t.cachedReadTokens + t.cachedWriteTokens;

const KEY_OF: Record<UsageDimension, (r: UsageRecord) => string | null> = {
  day: (r) => r.day,
  key: (r) => r.ownerId,
  template: (r) => r.templateId,
  model: (r) => r.model,
  session: (r) => r.sessionId,
  workDir: (r) => r.workDir,
};

/** Whether a ledger row falls in a query's range and filters. */
export function usageMatches(r: UsageRecord, q: UsageQuery): boolean {
  return (
    r.day >= q.from &&
    r.day <= q.to &&
    (q.ownerId === undefined || r.ownerId === q.ownerId) &&
    (q.sessionId === undefined || r.sessionId === q.sessionId)
  );
}

/** Groups and sums ledger rows (the in-memory store; the SQL stores do the same in SQL). */
export function aggregateUsage(rows: Iterable<UsageRecord>, q: UsageQuery): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const r of rows) {
    if (!usageMatches(r, q)) continue;
    const id = JSON.stringify(q.groupBy.map((d) => KEY_OF[d](r)));
    let g = groups.get(id);
    if (!g) {
      g = emptyGroup();
      for (const d of q.groupBy) (g as Record<string, unknown>)[d] = KEY_OF[d](r);
      groups.set(id, g);
    }
    g.turns += 1;
    g.inputTokens += r.inputTokens;
    g.outputTokens += r.outputTokens;
    g.cachedReadTokens += r.cachedReadTokens;
    g.cachedWriteTokens += r.cachedWriteTokens;
    g.totalTokens += totalTokensOf(r);
    g.costUsd += r.costUsd ?? 0;
    g.durationMs += r.durationMs;
    g.toolCalls += r.toolCalls;
  }
  return sortGroups([...groups.values()], q);
}

export function emptyGroup(): UsageGroup {
  return {
    turns: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedReadTokens: 0,
    cachedWriteTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    durationMs: 0,
    toolCalls: 0,
  };
}

/** Day groups oldest first; others costliest first; then the limit. */
export function sortGroups(groups: UsageGroup[], q: UsageQuery): UsageGroup[] {
  const byDay = q.groupBy[0] === 'day';
  groups.sort((a, b) =>
    byDay
      ? (a.day ?? '').localeCompare(b.day ?? '') || b.costUsd - a.costUsd
      : b.costUsd - a.costUsd || b.totalTokens - a.totalTokens,
  );
  return q.limit === undefined ? groups : groups.slice(0, q.limit);
}
