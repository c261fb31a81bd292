import { AegisError, MemoryEntry, MemoryKey } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdempotencyHeaders, IdParam, SendRequest, SendResponse } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';
import type { AegisMetrics } from '../metrics.js';
import { SetMemoryRequest } from './memory.js';

/**
 * Routes that exist because the earlier Aegis documents name them (docs/compatibility.md): `/input`
 * and `/prompt` beside `/send`, `/v1/metrics` beside `/metrics`, and the tmux-era pane capture and
 * screenshot, which answer 501 with what to use instead.
 */

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const sendAlias = (name: 'input' | 'prompt') =>
  createRoute({
    method: 'post',
    path: `/v1/sessions/{id}/${name}`,
    operationId: name === 'input' ? 'sendInput' : 'sendPrompt',
    summary: `Send a follow-up prompt (documented alias of /send)`,
    description: `The same as \`POST /v1/sessions/{id}/send\` (body \`{ "text" }\`, same answer), kept because the earlier Aegis documents name \`/${name}\`. Prefer \`/send\`.`,
    deprecated: true,
    tags: ['Sessions'],
    request: {
      params: IdParam,
      headers: IdempotencyHeaders,
      body: { content: { 'application/json': { schema: SendRequest } }, required: true },
    },
    responses: {
      202: json(SendResponse, 'Delivered or queued'),
      ...errorResponses(400, 401, 404, 409, 422),
    },
  });

const metricsV1Route = createRoute({
  method: 'get',
  path: '/v1/metrics',
  operationId: 'getMetricsV1',
  summary: 'Prometheus metrics (the same as GET /metrics)',
  description:
    'Serves exactly what `GET /metrics` serves; the earlier Aegis documents name this path. Scrape either.',
  tags: ['Server'],
  responses: {
    200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

const setMemoryEntryRoute = createRoute({
  method: 'post',
  path: '/v1/memory',
  operationId: 'setMemoryEntry',
  summary: 'Set a memory entry, the key in the body (documented alias of PUT /v1/memory/{key})',
  description:
    'The same as `PUT /v1/memory/{key}` with `{ "value", "ttlSec"? }`, for the earlier Aegis documents\' `POST /v1/memory { "key", "value" }`. Prefer the PUT.',
  deprecated: true,
  tags: ['Memory'],
  request: {
    body: {
      content: { 'application/json': { schema: SetMemoryRequest.extend({ key: MemoryKey }) } },
      required: true,
    },
  },
  responses: { 200: json(MemoryEntry, 'The stored entry'), ...errorResponses(400, 401, 403, 413) },
});

export const PANE_NOT_SUPPORTED =
  'There is no terminal pane: this server runs the agent over the Agent Client Protocol (JSON-RPC on stdio), not in tmux, so there is nothing to capture. Read the parsed transcript with GET /v1/sessions/{id}/read (or …/transcript/cursor), follow live output on GET /v1/sessions/{id}/events, and see the state and next steps on GET /v1/sessions/{id}.';
export const SCREENSHOT_NOT_SUPPORTED =
  'Screenshots are not supported by this server: they belonged to the tmux-era Aegis (Playwright beside the terminal). Ask the agent to take one with its own tools (e.g. a Playwright MCP server) through POST /v1/sessions/{id}/send.';

const paneRoute = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}/pane',
  operationId: 'capturePane',
  summary: 'Raw terminal capture (tmux era): not supported, always 501',
  description: PANE_NOT_SUPPORTED,
  deprecated: true,
  tags: ['Sessions'],
  request: { params: IdParam },
  responses: errorResponses(401, 501),
});

const screenshotRoute = createRoute({
  method: 'post',
  path: '/v1/sessions/{id}/screenshot',
  operationId: 'takeScreenshot',
  summary: 'Screenshot a URL (tmux era): not supported, always 501',
  description: SCREENSHOT_NOT_SUPPORTED,
  deprecated: true,
  tags: ['Sessions'],
  request: { params: IdParam },
  responses: errorResponses(401, 501),
});

export function compatRoutes({ aegis }: RouteDeps, opts: { metrics?: AegisMetrics | undefined }) {
  const app = newRouter();
  for (const name of ['input', 'prompt'] as const) {
    app.openapi(sendAlias(name), async (c) => {
      const { id } = c.req.valid('param');
      const promptDelivery = await aegis.sessions.prompt(id, c.req.valid('json').text, c.get('actor'));
      return c.json({ promptDelivery, session: await aegis.sessions.get(id, c.get('actor')) }, 202);
    });
  }
  app.openapi(metricsV1Route, async (c) => {
    if (!opts.metrics) throw new AegisError('NOT_FOUND', 'Metrics are not enabled on this server.');
    return c.text(await opts.metrics.text(), 200, { 'content-type': opts.metrics.contentType });
  });
  app.openapi(setMemoryEntryRoute, async (c) => {
    const { key, value, ttlSec } = c.req.valid('json');
    return c.json(await aegis.memory.set(key, { value, ttlSec }), 200);
  });
  app.openapi(paneRoute, () => {
    throw new AegisError('NOT_IMPLEMENTED', PANE_NOT_SUPPORTED);
  });
  app.openapi(screenshotRoute, () => {
    throw new AegisError('NOT_IMPLEMENTED', SCREENSHOT_NOT_SUPPORTED);
  });
  return app;
}
