import { Session, sessionActions, sessionJson, TranscriptPage } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import {
  CreateSessionRequest,
  CreateSessionResponse,
  IdempotencyHeaders,
  IdParam,
  InterruptResponse,
  ListSessionsQuery,
  ModeRequest,
  PermissionAnswerRequest,
  PermissionAnswerResponse,
  ReadQuery,
  ReadResponse,
  SendRequest,
  SendResponse,
  SessionDetail,
  SessionList,
  TranscriptCursorQuery,
} from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { allowedActions } from '../auth/permissions.js';
import { documentedMessage, STATUS_TEXT } from '../compat/read-messages.js';
import { errorResponses } from '../http-errors.js';
import { sessionHints } from '../session-hints.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T>(schema: T, required = true) => ({
  body: { content: { 'application/json': { schema } }, required },
});

const tags = ['Sessions'];

export const createSessionRoute = createRoute({
  method: 'post',
  path: '/v1/sessions',
  operationId: 'createSession',
  summary: 'Create a session (or reuse an idle one in the same workDir)',
  description:
    'Starts an agent in `workDir` and answers once it is ready. If an idle session of the same owner already works in that directory it is reused (200, `reused: true`) and the prompt goes to it — unless the request says `reuse: false`, or the request names another `agent`, `model`, `permissionMode` or `parentId` than that session has, or brings its own `env` or `policies`; otherwise a new session is created (201). Working, waiting, stalled and ended sessions are never reused. `promptDelivery` says whether the prompt reached the agent or is queued.',
  tags,
  request: { headers: IdempotencyHeaders, ...body(CreateSessionRequest) },
  responses: {
    200: json(CreateSessionResponse, 'An idle session was reused'),
    201: json(CreateSessionResponse, 'A new session was created'),
    ...errorResponses(400, 401, 403, 409, 422, 502, 503),
  },
});

const listSessionsRoute = createRoute({
  method: 'get',
  path: '/v1/sessions',
  operationId: 'listSessions',
  summary: 'List sessions, newest first',
  tags,
  request: { query: ListSessionsQuery },
  responses: { 200: json(SessionList, 'A page of sessions'), ...errorResponses(400, 401) },
});

const getSessionRoute = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}',
  operationId: 'getSession',
  summary: 'Get a session, with its pending permission or question and what you can do next',
  description:
    'The session, including `pendingPermission` / `pendingQuestion` while it waits, plus `actions` (the operations that make sense now and that your role may call, e.g. `approve`, `reject`, `escape` while `permission_prompt`; `answer` while `asking`) and `hints` (the same next steps in words, as API calls).',
  tags,
  request: { params: IdParam },
  responses: { 200: json(SessionDetail, 'The session'), ...errorResponses(401, 404) },
});

const killSessionRoute = createRoute({
  method: 'delete',
  path: '/v1/sessions/{id}',
  operationId: 'killSession',
  summary: 'Kill a session (stops its agent; the session is kept for audit)',
  tags,
  request: { params: IdParam },
  responses: { 200: json(Session, 'The killed session'), ...errorResponses(401, 404, 409) },
});

const sendRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/send',
  operationId: 'sendMessage',
  summary: 'Send a follow-up prompt',
  description:
    'When the session is idle the prompt starts a turn at once (`delivered: true`). While a turn runs (or the agent is starting) the prompt is queued and delivered in order when the running turn ends (`queued: true`, `position`). Nothing is dropped silently; `interrupt` drops queued prompts and says how many. A session that has ended answers 409 SESSION_TERMINATED.',
  tags,
  request: { params: IdParam, headers: IdempotencyHeaders, ...body(SendRequest) },
  responses: {
    202: json(SendResponse, 'Delivered or queued'),
    ...errorResponses(400, 401, 404, 409, 422),
  },
});

const answerRoute = (decision: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/v1/sessions/{id}/${decision}`,
    operationId: decision === 'approve' ? 'approvePermission' : 'rejectPermission',
    summary:
      decision === 'approve'
        ? 'Approve the pending permission request'
        : 'Reject the pending permission request',
    description:
      'Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`, which must be of the same direction (an allow option for approve, a reject option for reject; otherwise 400). 409 NOTHING_PENDING when no request is waiting.',
    tags: ['Permissions'],
    request: { params: IdParam, headers: IdempotencyHeaders, ...body(PermissionAnswerRequest, false) },
    responses: {
      200: json(PermissionAnswerResponse, 'Answered'),
      ...errorResponses(400, 401, 404, 409, 422),
    },
  });

const interruptRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/interrupt',
  operationId: 'interruptSession',
  summary: 'Cancel the running turn',
  description:
    'Sends session/cancel to the agent, answers open permission requests as cancelled and drops queued prompts. The turn ends with stopReason `cancelled` and the session returns to idle.',
  tags,
  request: { params: IdParam },
  responses: {
    200: json(InterruptResponse, 'Interrupted (or nothing was running)'),
    ...errorResponses(401, 404, 409),
  },
});

const modeRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/mode',
  operationId: 'setMode',
  summary: "Switch the agent's permission mode",
  tags,
  request: { params: IdParam, ...body(ModeRequest) },
  responses: {
    200: json(Session, 'The session in its new mode'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const readRoute = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}/read',
  operationId: 'readSession',
  summary: 'Read the transcript incrementally',
  description:
    "Returns transcript entries newer than `cursor` (a value you hold; pass back the returned `cursor`), with the session status. Each client keeps its own cursor, so readers never steal each other's messages.",
  tags: ['Transcript'],
  request: { params: IdParam, query: ReadQuery },
  responses: { 200: json(ReadResponse, 'New entries'), ...errorResponses(400, 401, 404) },
});

const transcriptCursorRoute = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}/transcript/cursor',
  operationId: 'getTranscriptPage',
  summary: 'Page the transcript backwards with stable ids',
  tags: ['Transcript'],
  request: { params: IdParam, query: TranscriptCursorQuery },
  responses: { 200: json(TranscriptPage, 'One page, oldest first'), ...errorResponses(400, 401, 404) },
});

export function sessionRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(createSessionRoute, async (c) => {
    const actor = c.get('actor');
    const result = await aegis.sessions.create(
      await aegis.templates.resolve(c.req.valid('json'), actor),
      actor,
    );
    // The session's fields at the top level too: `jq -r '.id'` of the earlier documents works.
    return c.json({ ...result.session, ...result }, result.reused ? 200 : 201);
  });
  // The reads below write each session's JSON text as the engine made it once per change
  // (`sessionJson`), in the order and shape `c.json` would give.
  app.openapi(listSessionsRoute, async (c) => {
    const q = c.req.valid('query');
    const { sessions, total, page, limit } = await aegis.sessions.list(q, c.get('actor'));
    return jsonText(
      c,
      `{"sessions":[${sessions.map(sessionJson).join(',')}],"total":${total},"page":${page},"limit":${limit}}`,
    );
  });
  app.openapi(getSessionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const actor = c.get('actor');
    const session = await aegis.sessions.get(id, actor);
    const live = await aegis.sessions.liveness(id, actor);
    const extra = {
      actions: allowedActions(sessionActions(session, live), actor.role),
      hints: sessionHints(session, live.inactiveMs),
    };
    return jsonText(c, `${sessionJson(session).slice(0, -1)},${JSON.stringify(extra).slice(1)}`);
  });
  app.openapi(killSessionRoute, async (c) =>
    c.json(await aegis.sessions.kill(c.req.valid('param').id, c.get('actor')), 200),
  );
  app.openapi(sendRoute, async (c) => {
    const { id } = c.req.valid('param');
    const promptDelivery = await aegis.sessions.prompt(id, c.req.valid('json').text, c.get('actor'));
    return c.json({ promptDelivery, session: await aegis.sessions.get(id, c.get('actor')) }, 202);
  });
  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(answerRoute(decision), async (c) => {
      const { id } = c.req.valid('param');
      const answer = (await c.req.json().catch(() => ({}))) as {
        optionId?: string;
        scope?: 'once' | 'always';
      };
      const parsed = PermissionAnswerRequest.parse(answer ?? {});
      const result = await aegis.sessions.respondPermission(
        id,
        { approve: decision === 'approve', ...parsed },
        c.get('actor'),
      );
      return c.json({ ...result, session: await aegis.sessions.get(id, c.get('actor')) }, 200);
    });
  }
  app.openapi(interruptRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await aegis.sessions.interrupt(id, c.get('actor'));
    return c.json({ ...result, session: await aegis.sessions.get(id, c.get('actor')) }, 200);
  });
  app.openapi(modeRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await aegis.sessions.setMode(id, c.req.valid('json').mode, c.get('actor')), 200);
  });
  app.openapi(readRoute, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const { status, session, ...rest } = await aegis.sessions.read(
      id,
      { after: q.cursor, limit: q.limit },
      c.get('actor'),
    );
    const tail = { ...rest, statusText: STATUS_TEXT[status], messages: rest.entries.map(documentedMessage) };
    return jsonText(
      c,
      `{"status":${JSON.stringify(status)},"session":${sessionJson(session)},${JSON.stringify(tail).slice(1)}`,
    );
  });
  app.openapi(transcriptCursorRoute, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const page = await aegis.sessions.transcriptPage(
      id,
      { before: q.before_id, limit: q.limit, role: q.role },
      c.get('actor'),
    );
    return c.json(page, 200);
  });
  return app;
}

/** A 200 with JSON text made by the handler (typed as the route's JSON answer, which it is). */
function jsonText(c: Context, text: string) {
  return c.body(text, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<
    never,
    200,
    'json'
  >;
}
