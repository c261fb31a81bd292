import { AegisError, type UsageDimension, UsageGroup } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';
import { usageCsv } from '../usage-csv.js';

const DIMENSIONS = ['day', 'key', 'template', 'model', 'session', 'workDir'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

const day = (what: string) =>
  z
    .string()
    .max(10)
    .regex(DAY, { error: `${what} must be a UTC day written YYYY-MM-DD` })
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { error: `${what} is not a real day` })
    .optional();

const groupByList = z
  .string()
  .max(100)
  .transform((v, ctx) => {
    const parts = v.split(',').filter(Boolean);
    for (const p of parts) {
      if (!(DIMENSIONS as readonly string[]).includes(p)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown groupBy "${p.slice(0, 40)}"; use one or more of ${DIMENSIONS.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
    }
    return [...new Set(parts)] as UsageDimension[];
  })
  .meta({ type: 'string', maxLength: 100, example: 'day,model' });

export const UsageQueryParams = z.object({
  from: day('from').describe('First UTC day, YYYY-MM-DD (default: 29 days before `to`)'),
  to: day('to').describe('Last UTC day, inclusive (default: today)'),
  groupBy: groupByList
    .optional()
    .describe(
      `Comma-separated: ${DIMENSIONS.join(', ')} (\`key\` is the API key id that owns the session). Default \`day\``,
    ),
  format: z.enum(['json', 'csv']).optional().describe('`csv` (or `Accept: text/csv`): one row per group'),
  limit: z
    .string()
    .max(5)
    .regex(/^\d{1,5}$/, { error: 'limit must be a whole number from 1 to 10000' })
    .optional()
    .describe('Most groups (the costliest first when grouped by session); default 1000'),
});

export const UsageReport = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.enum(DIMENSIONS)),
    groups: z.array(UsageGroup),
    totals: UsageGroup.describe('Sums over the whole range (all groups)'),
  })
  .meta({ id: 'UsageReport' });

const usageRoute = createRoute({
  method: 'get',
  path: '/v1/usage',
  operationId: 'getUsage',
  summary: 'Usage and cost from the ledger, grouped',
  description:
    "One ledger row is kept per finished turn: input, output and cache tokens, cost (the agent's own figure when it reports one, else tokens × the model's price in the server's `usage.prices`; `null` cost counts as 0), time and tool calls, with the session's key, template, model and workDir. This sums them over UTC days `from`..`to` (at most 366 days), grouped by `groupBy`. Admins see every key; other roles see their own sessions' turns. `format=csv` (or `Accept: text/csv`) answers CSV.",
  tags: ['Usage'],
  request: { query: UsageQueryParams },
  responses: {
    200: {
      description: 'Groups and totals',
      content: {
        'application/json': { schema: UsageReport },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses(400, 401),
  },
});

/** Resolves `from`/`to` (defaults: the last 30 days) and checks the range. */
export function dayRange(q: { from?: string | undefined; to?: string | undefined }, defaultDays = 30) {
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from =
    q.from ??
    new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw AegisError.validation(`from (${from}) is after to (${to}); give from <= to.`);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_DAYS)
    throw AegisError.validation(
      `The range ${from}..${to} is ${days} days; ask for at most ${MAX_DAYS} at a time.`,
    );
  return { from, to };
}

const wantsCsv = (c: Context, format: string | undefined) =>
  format === 'csv' || (format === undefined && (c.req.header('accept') ?? '').includes('text/csv'));

export function usageRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(usageRoute, async (c) => {
    const q = c.req.valid('query');
    const { from, to } = dayRange(q);
    const groupBy = q.groupBy && q.groupBy.length > 0 ? q.groupBy : (['day'] as UsageDimension[]);
    const limit = q.limit === undefined ? 1000 : Math.min(10_000, Math.max(1, Number(q.limit)));
    const actor = c.get('actor');
    const [groups, [totals]] = await Promise.all([
      aegis.usage.query({ from, to, groupBy, limit }, actor),
      aegis.usage.query({ from, to, groupBy: [] }, actor),
    ]);
    const empty = {
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
    if (wantsCsv(c, q.format)) {
      return c.body(usageCsv(groupBy, groups), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="aegis-usage-${from}-${to}.csv"`,
      }) as never;
    }
    return c.json({ from, to, groupBy, groups, totals: totals ?? empty }, 200);
  });
  return app;
}
