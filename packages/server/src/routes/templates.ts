import { type Actor, Template, TemplateInput } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

export const TemplateList = z.object({ templates: z.array(Template) }).meta({ id: 'TemplateList' });
const TemplateIdParam = z.object({ id: z.string().min(1).max(100) });

const tags = ['Templates'];

const listTemplatesRoute = createRoute({
  method: 'get',
  path: '/v1/templates',
  operationId: 'listTemplates',
  summary: 'List templates: the built-ins, then yours',
  description:
    "Built-ins (`code-reviewer`, `ci-runner`, `pr-reviewer`, `docs-writer`) come first, then your templates by name (admins see every owner's). A viewer sees each `env` name with its value redacted.",
  tags,
  responses: { 200: json(TemplateList, 'Templates'), ...errorResponses(401) },
});

const createTemplateRoute = createRoute({
  method: 'post',
  path: '/v1/templates',
  operationId: 'createTemplate',
  summary: 'Create a template (a reusable session spec)',
  description:
    "The prompt may contain `{{name}}` placeholders (or `{{name|default}}`), filled from `variables` when a session is created with `templateId`. Names are unique per owner and may not be a built-in's (409).",
  tags,
  request: body(TemplateInput),
  responses: { 201: json(Template, 'Created'), ...errorResponses(400, 401, 403, 409) },
});

const getTemplateRoute = createRoute({
  method: 'get',
  path: '/v1/templates/{id}',
  operationId: 'getTemplate',
  summary: 'Get a template',
  description: 'A viewer sees each `env` name with its value redacted (values can be credentials).',
  tags,
  request: { params: TemplateIdParam },
  responses: { 200: json(Template, 'The template'), ...errorResponses(401, 404) },
});

const updateTemplateRoute = createRoute({
  method: 'put',
  path: '/v1/templates/{id}',
  operationId: 'updateTemplate',
  summary: 'Replace a template',
  description:
    'Replaces every editable field (omitted fields are cleared). Built-ins cannot be edited (403).',
  tags,
  request: { params: TemplateIdParam, ...body(TemplateInput) },
  responses: { 200: json(Template, 'Updated'), ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteTemplateRoute = createRoute({
  method: 'delete',
  path: '/v1/templates/{id}',
  operationId: 'deleteTemplate',
  summary: 'Delete a template',
  description: 'Built-ins cannot be deleted (403). Sessions created from the template are unaffected.',
  tags,
  request: { params: TemplateIdParam },
  responses: { 200: json(Template, 'The deleted template'), ...errorResponses(401, 403, 404) },
});

/** What a template env value reads as for a caller who may not see it. */
export const REDACTED = '[redacted]';

/**
 * Viewers may read templates but not start sessions from them, so they see env names only: values
 * can be credentials. Admins and operators see them (operators need them to edit their templates).
 */
export function forCaller(t: Template, actor: Actor): Template {
  if (t.env === null || actor.admin === true || actor.role !== 'viewer') return t;
  return { ...t, env: Object.fromEntries(Object.keys(t.env).map((k) => [k, REDACTED])) };
}

export function templateRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(listTemplatesRoute, async (c) =>
    c.json(
      { templates: (await aegis.templates.list(c.get('actor'))).map((t) => forCaller(t, c.get('actor'))) },
      200,
    ),
  );
  app.openapi(createTemplateRoute, async (c) =>
    c.json(await aegis.templates.create(c.req.valid('json'), c.get('actor')), 201),
  );
  app.openapi(getTemplateRoute, async (c) =>
    c.json(
      forCaller(await aegis.templates.get(c.req.valid('param').id, c.get('actor')), c.get('actor')),
      200,
    ),
  );
  app.openapi(updateTemplateRoute, async (c) =>
    c.json(await aegis.templates.update(c.req.valid('param').id, c.req.valid('json'), c.get('actor')), 200),
  );
  app.openapi(deleteTemplateRoute, async (c) =>
    c.json(await aegis.templates.delete(c.req.valid('param').id, c.get('actor')), 200),
  );
  return app;
}
