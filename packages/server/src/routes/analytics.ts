import { Budget, UsageGroup } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';
import { dayRange } from './usage.js';

const tags = ['Usage'];
const Range = z.object({
  from: z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'from must be YYYY-MM-DD' })
    .optional(),
  to: z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'to must be YYYY-MM-DD' })
    .optional(),
});
const ok = <T>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errorResponses(400, 401),
});

const Sums = UsageGroup.omit({
  day: true,
  key: true,
  template: true,
  model: true,
  session: true,
  workDir: true,
});

export const AnalyticsSummary = z
  .object({
    from: z.string(),
    to: z.string(),
    sessions: z.number().int().describe('Sessions that ran at least one turn in the range'),
    totals: Sums,
    daily: z.array(UsageGroup).describe('One entry per day with turns, oldest first (`day` set)'),
  })
  .meta({ id: 'AnalyticsSummary' });

export const AnalyticsCosts = z
  .object({
    from: z.string(),
    to: z.string(),
    totalCostUsd: z.number(),
    byModel: z.array(UsageGroup).describe('Per model (`model` set), costliest first'),
    daily: z.array(UsageGroup).describe('Per day (`day` set), oldest first'),
  })
  .meta({ id: 'AnalyticsCosts' });

export const AnalyticsTokens = z
  .object({
    from: z.string(),
    to: z.string(),
    totalTokens: z.number().int(),
    byModel: z.array(UsageGroup).describe('Per model (`model` set): input, output and cache tokens'),
  })
  .meta({ id: 'AnalyticsTokens' });

const Standing = z.object({
  costUsd: z.number(),
  tokens: z.number(),
  turns: z.number(),
  durationMs: z.number(),
});

export const AnalyticsRateLimits = z
  .object({
    key: z.string().nullable().describe('The API key asked about (yours); `null`: the local user'),
    day: z.string().describe('Today (UTC)'),
    budget: z.union([Budget, z.null()]).describe('The key’s daily budget; `null`: none is configured'),
    used: Standing.describe("Today's use so far"),
    forecast: Standing.describe("Today's use at the end of the UTC day if the pace so far holds"),
    fraction: z
      .record(z.string(), z.number())
      .describe('Per budget limit: today’s use as a fraction of it (1 = at the limit)'),
    forecastExceeds: z
      .array(z.string())
      .describe('Limits the forecast passes: the key is expected to be stopped today'),
    rateLimitedSessions: z
      .number()
      .int()
      .describe('Your sessions now in `rate_limit` (the model provider refused)'),
  })
  .meta({ id: 'AnalyticsRateLimits' });

const summaryRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/summary',
  operationId: 'getAnalyticsSummary',
  summary: 'Sessions, tokens and costs over a range, with daily trends',
  description:
    'From the usage ledger: how many sessions ran turns, the summed tokens, cost, time and tool calls, and the same per UTC day. Default range: the last 30 days. Non-admins see their own sessions.',
  tags,
  request: { query: Range },
  responses: ok(AnalyticsSummary, 'The summary'),
});
const costsRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/costs',
  operationId: 'getAnalyticsCosts',
  summary: 'Costs per model and per day',
  tags,
  request: { query: Range },
  responses: ok(AnalyticsCosts, 'Costs'),
});
const tokensRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/tokens',
  operationId: 'getAnalyticsTokens',
  summary: 'Tokens per model',
  tags,
  request: { query: Range },
  responses: ok(AnalyticsTokens, 'Tokens'),
});
const rateLimitsRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/rate-limits',
  operationId: 'getAnalyticsRateLimits',
  summary: "Your key's daily quota use and a forecast for today",
  description:
    "Today's use of the calling key against its daily budget (`usage.keyBudgets` / `usage.keyBudget` in the server config), the fraction of each limit used, a linear forecast to the end of the UTC day, and how many of your sessions are rate-limited by the model provider now.",
  tags,
  responses: {
    200: { description: 'Quota use', content: { 'application/json': { schema: AnalyticsRateLimits } } },
    ...errorResponses(401),
  },
});

export function analyticsRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(summaryRoute, async (c) => {
    const { from, to } = dayRange(c.req.valid('query'));
    const actor = c.get('actor');
    const [[totals], daily, sessions] = await Promise.all([
      aegis.usage.query({ from, to, groupBy: [] }, actor),
      aegis.usage.query({ from, to, groupBy: ['day'] }, actor),
      aegis.usage.query({ from, to, groupBy: ['session'] }, actor),
    ]);
    return c.json({ from, to, sessions: sessions.length, totals: totals ?? zero(), daily }, 200);
  });
  app.openapi(costsRoute, async (c) => {
    const { from, to } = dayRange(c.req.valid('query'));
    const actor = c.get('actor');
    const [byModel, daily] = await Promise.all([
      aegis.usage.query({ from, to, groupBy: ['model'] }, actor),
      aegis.usage.query({ from, to, groupBy: ['day'] }, actor),
    ]);
    const totalCostUsd = byModel.reduce((n, g) => n + g.costUsd, 0);
    return c.json({ from, to, totalCostUsd, byModel, daily }, 200);
  });
  app.openapi(tokensRoute, async (c) => {
    const { from, to } = dayRange(c.req.valid('query'));
    const byModel = await aegis.usage.query({ from, to, groupBy: ['model'] }, c.get('actor'));
    return c.json({ from, to, totalTokens: byModel.reduce((n, g) => n + g.totalTokens, 0), byModel }, 200);
  });
  app.openapi(rateLimitsRoute, async (c) => {
    const actor = c.get('actor');
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const standing = await aegis.usage.keyStanding(actor.id);
    const [today] = standing
      ? [null]
      : await aegis.usage.query({ from: day, to: day, groupBy: [], ownerId: actor.id }, actor);
    const used = standing?.use ?? {
      costUsd: today?.costUsd ?? 0,
      tokens: today?.totalTokens ?? 0,
      turns: today?.turns ?? 0,
      durationMs: today?.durationMs ?? 0,
    };
    const elapsed = Math.max(1 / 24, (now.getTime() - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
    const forecast = {
      costUsd: used.costUsd / elapsed,
      tokens: Math.round(used.tokens / elapsed),
      turns: Math.round(used.turns / elapsed),
      durationMs: Math.round(used.durationMs / elapsed),
    };
    const budget = standing?.budget ?? null;
    const fraction: Record<string, number> = {};
    const forecastExceeds: string[] = [];
    const of = {
      maxCostUsd: 'costUsd',
      maxTokens: 'tokens',
      maxTurns: 'turns',
      maxDurationMs: 'durationMs',
    } as const;
    for (const [limit, field] of Object.entries(of)) {
      const max = budget?.[limit as keyof typeof of];
      if (max === undefined) continue;
      fraction[limit] = max === 0 ? (used[field] > 0 ? 1 : 0) : used[field] / max;
      if (forecast[field] > max) forecastExceeds.push(limit);
    }
    const { total: rateLimitedSessions } = await aegis.sessions.list(
      { status: ['rate_limit'], limit: 1 },
      actor,
    );
    return c.json(
      { key: actor.id, day, budget, used, forecast, fraction, forecastExceeds, rateLimitedSessions },
      200,
    );
  });
  return app;
}

function zero() {
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
