import { type Actor, type Routine as RoutineRecord, RoutineRun, type RoutineTarget } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { intQuery } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';
import {
  CreateRoutineRequest,
  Routine,
  RoutineList,
  RoutinePreview,
  RoutineRunList,
  UpdateRoutineRequest,
} from './routines-schemas.js';
import { REDACTED } from './templates.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const IdParam = z.object({ id: z.string().min(1).max(100) });
const PageQuery = z.object({ page: intQuery(1, 1_000_000).optional(), limit: intQuery(1, 100).optional() });
const tags = ['Routines'];

const createRoutineRoute = createRoute({
  method: 'post',
  path: '/v1/routines',
  operationId: 'createRoutine',
  summary: 'Create a routine: a session, template session or pipeline started on a schedule',
  description:
    "Fires once per due time, across restarts and across servers sharing a database. 400 (naming the field) for an invalid cron expression, an unknown time zone, a schedule with no future due time, or a target template that does not exist. Runs act as the routine's owner: a revoked key's routines fail their runs, and the session caps apply at each fire.",
  tags,
  request: body(CreateRoutineRequest),
  responses: { 201: json(Routine, 'Created'), ...errorResponses(400, 401, 403) },
});

const listRoutinesRoute = createRoute({
  method: 'get',
  path: '/v1/routines',
  operationId: 'listRoutines',
  summary: "List your routines by name (admins: every owner's)",
  tags,
  request: { query: PageQuery },
  responses: { 200: json(RoutineList, 'A page of routines'), ...errorResponses(400, 401) },
});

const previewRoute = createRoute({
  method: 'get',
  path: '/v1/routines/preview',
  operationId: 'previewRoutineSchedule',
  summary: 'The next due times of a schedule (default 10)',
  tags,
  request: {
    query: z.object({
      schedule: z.string().min(1).max(200),
      timezone: z.string().min(1).max(100).optional(),
      count: intQuery(1, 50).optional(),
    }),
  },
  responses: { 200: json(RoutinePreview, 'Due times'), ...errorResponses(400, 401) },
});

const getRoutineRoute = createRoute({
  method: 'get',
  path: '/v1/routines/{id}',
  operationId: 'getRoutine',
  summary: 'Get a routine',
  tags,
  request: { params: IdParam },
  responses: { 200: json(Routine, 'The routine'), ...errorResponses(401, 404) },
});

const updateRoutineRoute = createRoute({
  method: 'patch',
  path: '/v1/routines/{id}',
  operationId: 'updateRoutine',
  summary: 'Change some fields of a routine',
  description:
    'Fields left out keep their value. A new schedule, time zone or `enabled` recomputes the next due time from now (nothing is caught up).',
  tags,
  request: { params: IdParam, ...body(UpdateRoutineRequest) },
  responses: { 200: json(Routine, 'The routine'), ...errorResponses(400, 401, 403, 404) },
});

const deleteRoutineRoute = createRoute({
  method: 'delete',
  path: '/v1/routines/{id}',
  operationId: 'deleteRoutine',
  summary: 'Delete a routine and its run history (sessions it started are kept)',
  tags,
  request: { params: IdParam },
  responses: { 200: json(Routine, 'The deleted routine'), ...errorResponses(401, 403, 404) },
});

const action = (verb: 'pause' | 'resume', operationId: string, summary: string) =>
  createRoute({
    method: 'post',
    path: `/v1/routines/{id}/${verb}`,
    operationId,
    summary,
    tags,
    request: { params: IdParam },
    responses: { 200: json(Routine, 'The routine'), ...errorResponses(401, 403, 404) },
  });
const pauseRoute = action('pause', 'pauseRoutine', 'Pause a routine (runs already going go on)');
const resumeRoute = action(
  'resume',
  'resumeRoutine',
  'Resume a routine from its next due time after now (nothing missed while paused is fired)',
);

const runRoute = createRoute({
  method: 'post',
  path: '/v1/routines/{id}/run',
  operationId: 'runRoutine',
  summary: 'Run a routine now, outside its schedule (paused or not)',
  description:
    'Answers once the target has started, or failed to: the run says which session or pipeline it started, or why it failed.',
  tags,
  request: { params: IdParam },
  responses: { 201: json(RoutineRun, 'The run'), ...errorResponses(401, 403, 404) },
});

const runsRoute = createRoute({
  method: 'get',
  path: '/v1/routines/{id}/runs',
  operationId: 'listRoutineRuns',
  summary: "A routine's runs, newest due time first",
  tags,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(RoutineRunList, 'A page of runs'), ...errorResponses(400, 401, 404) },
});

/** A viewer sees the names of a target's env variables, not their values (as for templates). */
function forReader(r: RoutineRecord, actor: Actor): RoutineRecord {
  if (actor.admin === true || actor.role !== 'viewer') return r;
  const hide = (env: Record<string, string> | undefined) =>
    env && Object.fromEntries(Object.keys(env).map((k) => [k, REDACTED]));
  const t = structuredClone(r.target) as RoutineTarget;
  if ('session' in t && t.session.env) t.session.env = hide(t.session.env);
  if ('pipeline' in t) for (const s of t.pipeline.stages) if (s.spec.env) s.spec.env = hide(s.spec.env);
  return { ...r, target: t };
}

type Out = z.infer<typeof Routine>;
const out = (r: RoutineRecord, actor: Actor) => forReader(r, actor) as unknown as Out;

export function routineRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  // `aegis` is absent when only the OpenAPI document is rendered.
  const routines = () => aegis.routines;
  app.openapi(createRoutineRoute, async (c) =>
    c.json(out(await routines().create(c.req.valid('json'), c.get('actor')), c.get('actor')), 201),
  );
  app.openapi(listRoutinesRoute, async (c) => {
    const actor = c.get('actor');
    const page = await routines().list(c.req.valid('query'), actor);
    return c.json({ ...page, routines: page.routines.map((r) => out(r, actor)) }, 200);
  });
  // Before /{id}: "preview" is not a routine id.
  app.openapi(previewRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(routines().preview(q.schedule, q.timezone, q.count), 200);
  });
  app.openapi(getRoutineRoute, async (c) =>
    c.json(out(await routines().get(c.req.valid('param').id, c.get('actor')), c.get('actor')), 200),
  );
  app.openapi(updateRoutineRoute, async (c) =>
    c.json(
      out(
        await routines().update(c.req.valid('param').id, c.req.valid('json'), c.get('actor')),
        c.get('actor'),
      ),
      200,
    ),
  );
  app.openapi(deleteRoutineRoute, async (c) =>
    c.json(out(await routines().delete(c.req.valid('param').id, c.get('actor')), c.get('actor')), 200),
  );
  app.openapi(pauseRoute, async (c) =>
    c.json(out(await routines().pause(c.req.valid('param').id, c.get('actor')), c.get('actor')), 200),
  );
  app.openapi(resumeRoute, async (c) =>
    c.json(out(await routines().resume(c.req.valid('param').id, c.get('actor')), c.get('actor')), 200),
  );
  app.openapi(runRoute, async (c) =>
    c.json(await routines().runNow(c.req.valid('param').id, c.get('actor')), 201),
  );
  app.openapi(runsRoute, async (c) =>
    c.json(await routines().runs(c.req.valid('param').id, c.req.valid('query'), c.get('actor')), 200),
  );
  return app;
}
