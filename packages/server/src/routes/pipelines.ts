import { PIPELINE_MAX_STAGES, Pipeline, ResourceName } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { CreateSessionRequest, IdempotencyHeaders, intQuery } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const PipelineStageRequest = z
  .object({
    name: ResourceName,
    spec: CreateSessionRequest.describe(
      'The stage session; `templateId` + `variables` work as in createSession',
    ),
    dependsOn: z
      .array(z.string().max(100))
      .max(PIPELINE_MAX_STAGES)
      .optional()
      .describe('Stages that must complete before this one starts'),
  })
  .meta({ id: 'PipelineStageRequest' });

export const CreatePipelineRequest = z
  .object({
    name: ResourceName,
    stages: z.array(PipelineStageRequest).min(1).max(PIPELINE_MAX_STAGES),
  })
  .meta({ id: 'CreatePipelineRequest' });

export const PipelineList = z
  .object({
    pipelines: z.array(Pipeline),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'PipelineList' });

const ListPipelinesQuery = z.object({
  page: intQuery(1, 1_000_000).optional(),
  limit: intQuery(1, 100).optional(),
});

const tags = ['Pipelines'];

const createPipelineRoute = createRoute({
  method: 'post',
  path: '/v1/pipelines',
  operationId: 'createPipeline',
  summary: 'Start a pipeline of session stages',
  description:
    "Each stage runs in a new session once every stage in its `dependsOn` has completed. A stage completes when its session's first turn ends normally; a failed or cancelled turn, or a session that ends first, fails the stage and skips every stage that depends on it. The pipeline is `completed` when all stages completed, `failed` when any failed. Stage names must be unique, `dependsOn` must name stages of the pipeline and must not form a cycle (400). Each stage needs a prompt (its own or its template's), and its workDir must be one sessions may use (checked at create: 400 WORKDIR_DENIED naming the stage).",
  tags,
  request: {
    headers: IdempotencyHeaders,
    body: { content: { 'application/json': { schema: CreatePipelineRequest } }, required: true },
  },
  responses: {
    201: json(Pipeline, 'Created; stages without dependencies are starting'),
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

const listPipelinesRoute = createRoute({
  method: 'get',
  path: '/v1/pipelines',
  operationId: 'listPipelines',
  summary: 'List your pipelines, newest first',
  tags,
  request: { query: ListPipelinesQuery },
  responses: { 200: json(PipelineList, 'A page of pipelines'), ...errorResponses(400, 401) },
});

const getPipelineRoute = createRoute({
  method: 'get',
  path: '/v1/pipelines/{id}',
  operationId: 'getPipeline',
  summary: "Get a pipeline and each stage's status",
  tags,
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 200: json(Pipeline, 'The pipeline'), ...errorResponses(401, 404) },
});

export function pipelineRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(createPipelineRoute, async (c) =>
    c.json(await aegis.pipelines.create(c.req.valid('json'), c.get('actor')), 201),
  );
  app.openapi(listPipelinesRoute, async (c) =>
    c.json(await aegis.pipelines.list(c.req.valid('query'), c.get('actor')), 200),
  );
  app.openapi(getPipelineRoute, async (c) =>
    c.json(await aegis.pipelines.get(c.req.valid('param').id, c.get('actor')), 200),
  );
  return app;
}
