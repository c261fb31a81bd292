import { createRoute } from '@hono/zod-openapi';
import { HealthResponse } from '../api-schemas.js';
import { newRouter, type RouteDeps } from '../app-env.js';
import { ANONYMOUS_ACTOR } from '../auth/credentials.js';
import { checkAgent, type DiagnosticsInfo } from './server-info.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/v1/health',
  operationId: 'getHealth',
  summary: 'Server health',
  description:
    'Public. Without credentials the answer is only `{ "status": "ok" }`; with a valid key (or as the local user in zero-config mode) it adds version, uptime, session counts and agent availability.',
  tags: ['Server'],
  responses: { 200: { description: 'Healthy', content: { 'application/json': { schema: HealthResponse } } } },
});

export function healthRoutes(
  { aegis, version, startedAt, agents }: RouteDeps,
  diagnostics?: DiagnosticsInfo,
) {
  const app = newRouter();
  app.openapi(healthRoute, async (c) => {
    // Without credentials the answer is only that the server is up (authenticate.ts strips the
    // rest): load balancers probe this every few seconds, so the agent checks (a PATH search and a
    // file check each) and the counts (linear in the stored sessions) are skipped. One small read
    // stays, so a node whose store does not answer fails its probe.
    if (c.get('actor') === ANONYMOUS_ACTOR) {
      await aegis.sessions.list({ status: ['working'], limit: 1 });
      return c.json({ status: 'ok' as const }, 200);
    }
    const availability = await Promise.all(agents.map((n) => checkAgent(n, diagnostics?.agentCommands[n])));
    return c.json(
      {
        status: 'ok' as const,
        version,
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        sessions: { live: aegis.liveCount, byState: await aegis.sessions.countByStatus() },
        agents: [...agents],
        agentAvailability: Object.fromEntries(availability.map((a) => [a.name, a.available])),
      },
      200,
    );
  });
  return app;
}
