import { MEMORY_TTL_MAX_SEC, MEMORY_VALUE_MAX_BYTES, MemoryEntry, MemoryKey } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { intQuery } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const KeyParam = z.object({
  key: MemoryKey.describe('1–256 characters of A-Z a-z 0-9 . _ : / - (URL-encode the slashes)'),
});

export const SetMemoryRequest = z
  .object({
    value: z.unknown().describe(`Any JSON value, at most ${MEMORY_VALUE_MAX_BYTES} bytes serialized`),
    ttlSec: z
      .number()
      .int()
      .min(1)
      .max(MEMORY_TTL_MAX_SEC)
      .optional()
      .describe('Seconds until the entry expires; omit to keep it until deleted'),
  })
  .meta({ id: 'SetMemoryRequest' });

export const MemoryList = z
  .object({
    entries: z.array(MemoryEntry),
    truncated: z.boolean().describe('More entries match; raise `limit` or narrow `prefix`'),
  })
  .meta({ id: 'MemoryList' });

const ListMemoryQuery = z.object({
  prefix: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9._:/-]*$/, 'use characters of A-Z a-z 0-9 . _ : / -')
    .optional(),
  limit: intQuery(1, 1000).optional().describe('Default 100'),
});

export const MemoryDeleted = z
  .object({ key: z.string(), deleted: z.literal(true) })
  .meta({ id: 'MemoryDeleted' });

const tags = ['Memory'];

const setMemoryRoute = createRoute({
  method: 'put',
  path: '/v1/memory/{key}',
  operationId: 'setMemory',
  summary: 'Set a memory entry',
  description:
    'Creates or replaces the entry. Memory is shared by every session and caller of this server (use key prefixes such as `project/x:` to keep things apart). Expired entries are never returned.',
  tags,
  request: {
    params: KeyParam,
    body: { content: { 'application/json': { schema: SetMemoryRequest } }, required: true },
  },
  responses: { 200: json(MemoryEntry, 'The stored entry'), ...errorResponses(400, 401, 403, 413) },
});

const getMemoryRoute = createRoute({
  method: 'get',
  path: '/v1/memory/{key}',
  operationId: 'getMemory',
  summary: 'Get a memory entry',
  tags,
  request: { params: KeyParam },
  responses: { 200: json(MemoryEntry, 'The entry'), ...errorResponses(400, 401, 404) },
});

const listMemoryRoute = createRoute({
  method: 'get',
  path: '/v1/memory',
  operationId: 'listMemory',
  summary: 'List memory entries by key prefix',
  tags,
  request: { query: ListMemoryQuery },
  responses: { 200: json(MemoryList, 'Entries sorted by key'), ...errorResponses(400, 401) },
});

const deleteMemoryRoute = createRoute({
  method: 'delete',
  path: '/v1/memory/{key}',
  operationId: 'deleteMemory',
  summary: 'Delete a memory entry',
  tags,
  request: { params: KeyParam },
  responses: { 200: json(MemoryDeleted, 'Deleted'), ...errorResponses(400, 401, 403, 404) },
});

export function memoryRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(setMemoryRoute, async (c) => {
    const { value, ttlSec } = c.req.valid('json');
    return c.json(await aegis.memory.set(c.req.valid('param').key, { value, ttlSec }), 200);
  });
  app.openapi(getMemoryRoute, async (c) => c.json(await aegis.memory.get(c.req.valid('param').key), 200));
  app.openapi(listMemoryRoute, async (c) => c.json(await aegis.memory.list(c.req.valid('query')), 200));
  app.openapi(deleteMemoryRoute, async (c) =>
    c.json(await aegis.memory.delete(c.req.valid('param').key), 200),
  );
  return app;
}
