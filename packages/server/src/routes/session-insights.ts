import {
  type Actor,
  type AegisEvent,
  AgentCommand,
  Session,
  SessionHealth,
  SessionLatency,
  SessionMetrics,
  SessionSummary,
  sessionHealth,
  sessionLatency,
  sessionMetrics,
  summarizeSession,
} from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { allowedActions } from '../auth/permissions.js';
import { errorResponses } from '../http-errors.js';
import { sessionHints } from '../session-hints.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const answerValue = z.union([z.string().max(10_000), z.array(z.string().max(10_000)).max(100)]);
export const AnswerQuestionRequest = z
  .object({
    answer: answerValue
      .optional()
      .describe("Answer to the first question: an option's value or label, or free text where allowed"),
    answers: z
      .record(z.string().max(200), answerValue)
      .optional()
      .describe('Answers keyed by question id (see `pendingQuestion.questions[].id`)'),
  })
  .meta({ id: 'AnswerQuestionRequest' });
export const AnswerQuestionResponse = z
  .object({
    questionId: z.string(),
    answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    session: Session,
  })
  .meta({ id: 'AnswerQuestionResponse' });
export const EscapeResponse = z
  .object({
    dismissed: z.enum(['permission', 'question']),
    requestId: z.string(),
    session: Session,
  })
  .meta({ id: 'EscapeResponse' });
export const DiscoverCommandsResponse = z
  .object({ commands: z.array(AgentCommand), session: Session })
  .meta({ id: 'DiscoverCommandsResponse' });

const tags = ['Insights'];
const getRoute = <T extends z.ZodType>(
  suffix: string,
  operationId: string,
  summary: string,
  schema: T,
  description?: string,
) =>
  createRoute({
    method: 'get',
    path: `/v1/sessions/{id}/${suffix}`,
    operationId,
    summary,
    ...(description ? { description } : {}),
    tags,
    request: { params: IdParam },
    responses: { 200: json(schema, summary), ...errorResponses(401, 403, 404) },
  });

const healthRoute = getRoute(
  'health',
  'getSessionHealth',
  'Session health: agent alive, last activity, idle/stalled time, what to do next',
  SessionHealth,
  '`hints` name the API call that moves the session on, e.g. "waiting for approval — POST …/approve".',
);
const summaryRoute = getRoute(
  'summary',
  'getSessionSummary',
  'What the session did: turns, tool calls by status, files touched, permission decisions, last message, usage',
  SessionSummary,
);
const metricsRoute = getRoute(
  'metrics',
  'getSessionMetrics',
  'Session metrics: event counts by type, tokens, cost, turn durations',
  SessionMetrics,
);
const latencyRoute = getRoute(
  'latency',
  'getSessionLatency',
  'Latency percentiles (p50/p95/max): turns, time to first token, permission and question waits',
  SessionLatency,
);

const answerRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/answer',
  operationId: 'answerQuestion',
  summary: 'Answer the question the agent asked (state `asking`)',
  description:
    "Claude Code's AskUserQuestion reaches Aegis as a form elicitation; the session waits in `asking` with `pendingQuestion`. Send `answer` for the first question or `answers` by question id. An option may be given by value or label; free text is accepted where the question allows a custom answer. 409 NOTHING_PENDING when no question waits.",
  tags: ['Permissions'],
  request: {
    params: IdParam,
    body: { content: { 'application/json': { schema: AnswerQuestionRequest } }, required: true },
  },
  responses: { 200: json(AnswerQuestionResponse, 'Answered'), ...errorResponses(400, 401, 403, 404, 409) },
});

const escapeRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/escape',
  operationId: 'escapeSession',
  summary: 'Dismiss the pending question or permission request without cancelling the turn',
  description:
    'A pending question is declined (the agent is told the user skipped it); otherwise the pending permission request is rejected (reject_once) so the agent continues without the tool. Use `interrupt` to cancel the turn instead. 409 NOTHING_PENDING when nothing waits.',
  tags: ['Permissions'],
  request: { params: IdParam },
  responses: { 200: json(EscapeResponse, 'Dismissed'), ...errorResponses(401, 403, 404, 409) },
});

const discoverRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/discover-commands',
  operationId: 'discoverCommands',
  summary: "The agent's slash commands",
  description:
    'The commands the agent announced with `available_commands_update`, kept on the session as `availableCommands`. Waits up to 3 s for a live agent that has not announced them yet. Send one with `POST …/send { "text": "/name args" }`.',
  tags,
  request: { params: IdParam },
  responses: { 200: json(DiscoverCommandsResponse, 'The commands'), ...errorResponses(401, 403, 404) },
});

const MAX_EVENTS = 200_000;

/** Every stored event of a session, oldest first (bounded). */
export async function allEvents(deps: RouteDeps, id: string, actor: Actor) {
  const out: AegisEvent[] = [];
  let after = 0;
  while (out.length < MAX_EVENTS) {
    const page = await deps.aegis.sessions.events(id, { after, limit: 1000 }, actor);
    out.push(...page);
    if (page.length < 1000) break;
    after = page.at(-1)!.seq;
  }
  return out;
}

/** Per-session health, summary, metrics and latency (computed from the durable events), and controls. */
export function sessionInsightRoutes(deps: RouteDeps) {
  const { aegis } = deps;
  const app = newRouter();
  app.openapi(healthRoute, async (c) => {
    const { id } = c.req.valid('param');
    const session = await aegis.sessions.get(id, c.get('actor'));
    const live = await aegis.sessions.liveness(id, c.get('actor'));
    const health = sessionHealth(session, live, { hints: sessionHints(session, live.inactiveMs) });
    return c.json({ ...health, actions: allowedActions(health.actions, c.get('actor').role) }, 200);
  });
  const computed = async <T>(id: string, actor: Actor, compute: (s: Session, e: AegisEvent[]) => T) =>
    compute(await aegis.sessions.get(id, actor), await allEvents(deps, id, actor));
  app.openapi(summaryRoute, async (c) =>
    c.json(await computed(c.req.valid('param').id, c.get('actor'), summarizeSession), 200),
  );
  app.openapi(metricsRoute, async (c) =>
    c.json(await computed(c.req.valid('param').id, c.get('actor'), sessionMetrics), 200),
  );
  app.openapi(latencyRoute, async (c) =>
    c.json(await computed(c.req.valid('param').id, c.get('actor'), sessionLatency), 200),
  );
  app.openapi(answerRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await aegis.sessions.answerQuestion(id, c.req.valid('json'), c.get('actor'));
    return c.json({ ...result, session: await aegis.sessions.get(id, c.get('actor')) }, 200);
  });
  app.openapi(escapeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const result = await aegis.sessions.escape(id, c.get('actor'));
    return c.json({ ...result, session: await aegis.sessions.get(id, c.get('actor')) }, 200);
  });
  app.openapi(discoverRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await aegis.sessions.discoverCommands(id, {}, c.get('actor')), 200);
  });
  return app;
}
