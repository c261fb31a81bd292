import { createRoute } from '@hono/zod-openapi';
import { HealthResponse } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/v1/health',
  operationId: 'getHealth',
  summary: 'Server health',
  tags: ['Server'],
  responses: { 200: { description: 'Healthy', content: { 'application/json': { schema: HealthResponse } } } },
});

export function healthRoutes({ aegis, version, startedAt, agents }: RouteDeps) {
  const app = newRouter();
  app.openapi(healthRoute, (c) =>
    c.json(
      {
        status: 'ok' as const,
        version,
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        sessions: { live: aegis.liveCount },
        agents: [...agents],
      },
      200,
    ),
  );
  return app;
}
