// Two real servers ('node-a', 'node-b') sharing one fresh PostgreSQL schema, with a channel
// configured on both: the setup of the channel cluster tests. Needs PostgreSQL
// (AEGIS_TEST_POSTGRES_URL, else the machine's 127.0.0.1:5432 database `test`).
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import type { ServerConfigInput } from '../config.js';
import { type RunningServer, startServer } from '../server.js';

export const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ChannelCluster {
  /** A fresh folder under which the sessions' work dirs are allowed. */
  readonly root: string;
  /** `root/work`, an allowed work dir. */
  readonly work: string;
  /** The PostgreSQL schema both nodes share. */
  readonly schema: string;
  readonly nodes: { 'node-a': RunningServer; 'node-b': RunningServer };
}

/**
 * Starts the two nodes with `channels` (and, with `authToken`, refusing requests without it). Each
 * node's close and the folder's removal are pushed onto `cleanups`, in start order (run them in
 * reverse); the schema is left for {@link dropSchemas} after the file's tests.
 */
export async function startChannelCluster(opts: {
  name: string;
  channels: ServerConfigInput['channels'];
  cleanups: (() => unknown)[];
  authToken?: string;
}): Promise<ChannelCluster> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `aegis-${opts.name}-`)));
  opts.cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const work = join(root, 'work');
  mkdirSync(work);
  const schema = `aegis_${opts.name.replace(/\W/g, '_')}_${process.pid}_${Date.now().toString(36)}`;
  const nodes: Record<string, RunningServer> = {};
  for (const id of ['node-a', 'node-b']) {
    const stateDir = join(root, id);
    mkdirSync(stateDir);
    const server = await startServer({
      ignoreEnv: true,
      config: scriptedServerConfig(stateDir, {
        sessionStore: 'postgres' as const,
        postgresUrl: PG_URL,
        pgSchema: schema,
        pgPoolMax: 4,
        allowedWorkDirs: [root],
        ...(opts.authToken ? { authToken: opts.authToken } : {}),
        cluster: { nodeId: id, leaseMs: 1_500, drainMs: 1_000 },
        sessions: { idleEvictMs: 0 },
        channels: opts.channels,
      }),
    });
    opts.cleanups.push(() => server.close());
    nodes[id] = server;
  }
  return { root, work, schema, nodes: nodes as ChannelCluster['nodes'] };
}

/** Drops the schemas the clusters used (after every node of them is closed). */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
  }
}
