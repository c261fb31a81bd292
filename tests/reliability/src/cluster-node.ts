// One node of an Aegis cluster as the cluster suites start it: a server process on the machine's
// PostgreSQL (one schema per test), a lease, no idle eviction and the scripted agent.
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import pg from 'pg';
import { type ServerProcess, startServerProcess } from './harness.js';

export const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ClusterNodeOptions {
  /** The node id (`cluster.nodeId`). */
  id: string;
  /** The node's own state directory. */
  stateDir: string;
  /** The folder sessions work in (the only allowed workDir). */
  work: string;
  /** The PostgreSQL schema the nodes share. */
  schema: string;
  leaseMs: number;
  drainMs: number;
  /** Added to the scripted agent's definition (env, conversation capture). */
  agent?: Record<string, unknown>;
  /** Added to the server config (e.g. channels). */
  config?: Record<string, unknown>;
}

export function startClusterNode(opts: ClusterNodeOptions): Promise<ServerProcess> {
  return startServerProcess({
    stateDir: opts.stateDir,
    allowedWorkDirs: [opts.work],
    mode: 'launcher',
    config: {
      sessionStore: 'postgres',
      postgresUrl: PG_URL,
      pgSchema: opts.schema,
      pgPoolMax: 4,
      cluster: { nodeId: opts.id, leaseMs: opts.leaseMs, drainMs: opts.drainMs },
      sessions: { idleEvictMs: 0 },
      agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN], ...opts.agent } },
      defaultAgent: 'scripted',
      ...opts.config,
    },
  });
}

/** Runs one statement on its own connection (the suites' checks and clean-up). */
export async function pgQuery<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
