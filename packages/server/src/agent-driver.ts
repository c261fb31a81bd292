// The ACP runtime as the server configures it: agents, warm pools, and the sandbox, whose every
// connection attempt out is audited.
import { join } from 'node:path';
import { type bubblewrapRuntime, createAcpDriver } from '@aegis/acp-runtime';
import type { AegisStore, AgentDriver } from '@aegis/core';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';

export function createAgentDriver(
  config: ServerConfig,
  store: AegisStore,
  logger: Logger,
  sandboxRuntime: ReturnType<typeof bubblewrapRuntime>,
): AgentDriver {
  return createAcpDriver({
    agents: config.agents,
    defaultAgent: config.defaultAgent,
    extraEnv: config.agentEnv,
    pool: config.pool,
    pools: Object.fromEntries(
      Object.entries(config.agents).flatMap(([name, a]) => (a.pool ? [[name, a.pool]] : [])),
    ),
    poolCwd: config.stateDir,
    onError: (err, context) =>
      logger.error(context, { error: err instanceof Error ? err.message : String(err) }),
    sandbox: {
      runtime: sandboxRuntime,
      dir: join(config.stateDir, 'sandboxes'),
      // Every connection attempt out of a sandbox, allowed or refused, is audited.
      onEgress: (sessionId, attempt) =>
        void store.audit
          .append({
            at: new Date().toISOString(),
            actorId: null,
            actorRole: null,
            action: 'sandbox.egress',
            target: sessionId,
            outcome: attempt.allowed ? (attempt.reason ? 'failed' : 'allowed') : 'refused',
            details: { ...attempt },
          })
          .catch((err) =>
            logger.error('audit append failed', {
              error: err instanceof Error ? err.message : String(err),
            }),
          ),
    },
  });
}
