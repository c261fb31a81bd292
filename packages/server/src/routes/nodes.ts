import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter, type RouteDeps } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

const ClusterNode = z
  .object({
    id: z.string(),
    address: z.string().describe('Where the other nodes reach it'),
    state: z.enum(['active', 'draining', 'gone']),
    alive: z.boolean().describe('It heartbeated within the lease'),
    self: z.boolean().describe('The node that answered this request'),
    startedAt: z.string().nullable(),
    heartbeatAt: z.string(),
    heartbeatAgeMs: z.number().int(),
    capacity: z.number().int().describe('Agent processes it may run at once (maxResidentAgents)'),
    resident: z.number().int().describe('Agent processes it runs'),
    dormant: z.number().int().describe('Sessions it owns without an agent process'),
    busy: z.number().int().describe('Sessions with a running turn'),
    sessions: z.number().int().describe('Sessions it owns that have not ended'),
    version: z.string().nullable(),
  })
  .meta({ id: 'ClusterNode' });

const NodesResponse = z
  .object({
    clustered: z.boolean().describe('Whether this server is a node of a cluster (the PostgreSQL store)'),
    self: z.string().nullable().describe("This node's id"),
    leaseMs: z.number().int().nullable(),
    nodes: z.array(ClusterNode),
    unowned: z
      .number()
      .int()
      .describe('Sessions not ended that no node owns right now (waiting for adoption)'),
  })
  .meta({ id: 'NodesResponse' });

const listNodesRoute = createRoute({
  method: 'get',
  path: '/v1/nodes',
  operationId: 'listNodes',
  summary: 'Nodes of the cluster, their health and load',
  description:
    'Every Aegis server sharing this PostgreSQL database, with its heartbeat, state (`draining` on SIGTERM, `gone` after a clean stop) and load. A node that has not heartbeated within the lease is `alive: false`; its sessions are adopted by the others. On a single server (SQLite) the list is empty and `clustered` false.',
  tags: ['Server'],
  responses: {
    200: { description: 'Nodes', content: { 'application/json': { schema: NodesResponse } } },
    ...errorResponses(401, 403),
  },
});

const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : 0);

export function nodeRoutes({ aegis }: RouteDeps) {
  const app = newRouter();
  app.openapi(listNodesRoute, async (c) => {
    const self = aegis.node;
    const [nodes, counts] = await Promise.all([aegis.nodes(), aegis.nodeSessionCounts()]);
    return c.json(
      {
        clustered: self !== null,
        self: self?.id ?? null,
        leaseMs: self?.leaseMs ?? null,
        unowned: counts[''] ?? 0,
        nodes: nodes.map((n) => ({
          id: n.id,
          address: n.address,
          state: n.state,
          alive: n.alive,
          self: n.id === self?.id,
          startedAt: n.startedAt,
          heartbeatAt: n.heartbeatAt,
          heartbeatAgeMs: n.heartbeatAgeMs,
          capacity: n.capacity,
          resident: int(n.info.resident),
          dormant: int(n.info.dormant),
          busy: int(n.info.busy),
          sessions: counts[n.id] ?? 0,
          version: typeof n.info.version === 'string' ? n.info.version : null,
        })),
      },
      200,
    );
  });
  return app;
}
