import { BATCH_MAX, PromptDelivery, Session } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { CreateSessionRequest, IdempotencyHeaders } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { ErrorResponse, errorResponses } from '../http-errors.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const ItemError = ErrorResponse.shape.error.meta({ id: 'BatchItemError' });

export const BatchCreateRequest = z
  .object({ sessions: z.array(CreateSessionRequest).min(1).max(BATCH_MAX) })
  .meta({ id: 'BatchCreateRequest' });

export const BatchCreateResult = z
  .object({
    index: z.number().int().describe('Position of the item in the request'),
    ok: z.boolean(),
    session: Session.optional(),
    reused: z.boolean().optional(),
    promptDelivery: z.union([PromptDelivery, z.null()]).optional(),
    error: ItemError.optional(),
  })
  .meta({ id: 'BatchCreateResult' });

export const BatchCreateResponse = z
  .object({
    results: z.array(BatchCreateResult),
    succeeded: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'BatchCreateResponse' });

export const BatchDeleteRequest = z
  .object({ ids: z.array(z.string().min(1).max(100)).min(1).max(BATCH_MAX) })
  .meta({ id: 'BatchDeleteRequest' });

export const BatchDeleteResult = z
  .object({
    index: z.number().int(),
    id: z.string(),
    ok: z.boolean(),
    session: Session.optional(),
    error: ItemError.optional(),
  })
  .meta({ id: 'BatchDeleteResult' });

export const BatchDeleteResponse = z
  .object({
    results: z.array(BatchDeleteResult),
    succeeded: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'BatchDeleteResponse' });

const tags = ['Sessions'];

const batchCreateRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/batch',
  operationId: 'batchCreateSessions',
  summary: `Create up to ${BATCH_MAX} sessions at once`,
  description:
    'Starts every session concurrently, each exactly as `POST /v1/sessions` would (templates, reuse of idle sessions, prompt delivery). Always 200 once the request is valid: each item of `results` (in request order) says whether it succeeded, with the session, or failed, with the error a single create would have answered. A malformed body is a 400 for the whole batch.',
  tags,
  request: { headers: IdempotencyHeaders, ...body(BatchCreateRequest) },
  responses: {
    200: json(BatchCreateResponse, 'Per-item outcomes'),
    ...errorResponses(400, 401, 403, 409, 413, 422),
  },
});

const batchDeleteRoute = createRoute({
  method: 'delete',
  path: '/v1/sessions/batch',
  operationId: 'batchDeleteSessions',
  summary: `Kill up to ${BATCH_MAX} sessions at once`,
  description:
    'Kills each session as `DELETE /v1/sessions/{id}` would; sessions stay in the store for audit. Always 200 once the request is valid, with a per-item outcome in request order.',
  tags,
  request: body(BatchDeleteRequest),
  responses: { 200: json(BatchDeleteResponse, 'Per-item outcomes'), ...errorResponses(400, 401, 403) },
});

const tally = <T extends { ok: boolean }>(results: T[]) => ({
  results,
  succeeded: results.filter((r) => r.ok).length,
  failed: results.filter((r) => !r.ok).length,
});

/** Batch routes; mount before the session routes so `/v1/sessions/batch` is never read as a session id. */
export function batchRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(batchCreateRoute, async (c) =>
    c.json(tally(await aegis.batch.create(c.req.valid('json').sessions, c.get('actor'))), 200),
  );
  app.openapi(batchDeleteRoute, async (c) =>
    c.json(tally(await aegis.batch.kill(c.req.valid('json').ids, c.get('actor'))), 200),
  );
  return app;
}
