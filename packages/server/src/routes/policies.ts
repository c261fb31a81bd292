import { PolicyRule, type RulePolicy } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

export const PolicyList = z
  .object({
    rules: z.array(PolicyRule).describe('Server-wide rules, in order; the first match decides'),
  })
  .meta({ id: 'PolicyList' });
export const SetPoliciesRequest = z
  .object({ rules: z.array(PolicyRule).max(500) })
  .meta({ id: 'SetPoliciesRequest' });

const HOW =
  'A permission request is decided by the first matching rule of the session (`policies` at create), then of the server; `ask` (or no match) hands it to a human. Each decision records `decidedBy: { type: "policy", rule }`.';

const getPoliciesRoute = createRoute({
  method: 'get',
  path: '/v1/policies',
  operationId: 'getPermissionPolicies',
  summary: 'Server-wide permission policy rules',
  description: HOW,
  tags: ['Permissions'],
  responses: {
    200: { description: 'The rules', content: { 'application/json': { schema: PolicyList } } },
    ...errorResponses(401, 403),
  },
});

const setPoliciesRoute = createRoute({
  method: 'put',
  path: '/v1/policies',
  operationId: 'setPermissionPolicies',
  summary: 'Replace the server-wide permission policy rules',
  description: `${HOW} Takes effect for the next permission request; not persisted across restarts (put lasting rules in the config file's \`policies\`).`,
  tags: ['Permissions'],
  request: { body: { content: { 'application/json': { schema: SetPoliciesRequest } }, required: true } },
  responses: {
    200: { description: 'The new rules', content: { 'application/json': { schema: PolicyList } } },
    ...errorResponses(400, 401, 403),
  },
});

/** GET/PUT of the server-wide rule list that the engine's policy hook evaluates. */
export function policyRoutes(policies: RulePolicy) {
  const app = newRouter();
  app.openapi(getPoliciesRoute, (c) => c.json({ rules: policies.rules }, 200));
  app.openapi(setPoliciesRoute, (c) => {
    policies.set(c.req.valid('json').rules);
    return c.json({ rules: policies.rules }, 200);
  });
  return app;
}
