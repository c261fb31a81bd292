import { Budget, Session } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

export const UpdateSessionRequest = z
  .object({
    budget: Budget.nullable().describe(
      'The new budget, replacing the old one (`null`: no limits). Limits may not be negative',
    ),
  })
  .strict()
  .meta({ id: 'UpdateSessionRequest' });

const updateSessionRoute = createRoute({
  method: 'patch',
  path: '/v1/sessions/{id}',
  operationId: 'updateSession',
  summary: "Change a session's budget",
  description:
    "Replaces the session's `budget` (recorded as `budget.updated`, and audited). A session stopped by its budget (`budgetStatus.exceeded`, prompts refused with 429 `BUDGET_EXCEEDED`) takes prompts again once the new budget allows what it has used.",
  tags: ['Sessions'],
  request: {
    params: IdParam,
    body: { content: { 'application/json': { schema: UpdateSessionRequest } }, required: true },
  },
  responses: {
    200: {
      description: 'The session with its new budget',
      content: { 'application/json': { schema: Session } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export function sessionBudgetRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(updateSessionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { budget } = c.req.valid('json');
    return c.json(await aegis.sessions.setBudget(id, budget, c.get('actor')), 200);
  });
  return app;
}
