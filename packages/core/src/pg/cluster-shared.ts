import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { AegisError } from '../errors.js';
import type { PipelineRecord, PipelineSpec } from '../orchestration/resource-store.js';
import type { Pipeline } from '../orchestration/schemas.js';
import { iso, leaseEnd } from './fence.js';

/**
 * The parts of a cluster beyond session ownership, all in the shared database: which node runs
 * each pipeline (under a lease, like sessions), request counts per caller across nodes (rate
 * limits), the secret nodes sign forwarded requests with, and named leases for work one node does
 * for the cluster.
 */

/** The node a pipeline's writes are fenced by; `null` until the store joined a cluster. */
export interface PipelineRunner {
  node: string | null;
  leaseMs: number;
}

export const pipelineLost = (pipelineId: string, node: string | null) =>
  new AegisError(
    'LEASE_LOST',
    `Pipeline ${pipelineId} is run by another node now${node ? ` (${node})` : ''}: this node's hold on it ran out and it was taken over, so this write was refused.`,
    { details: { pipelineId, owner: node } },
  );

interface PipelineRow {
  spec: PipelineSpec;
  status: Pipeline;
}

/** This node's id, for a store that has joined a cluster (`INTERNAL` before it has). */
export function joinedNode(runner: { node: string | null }): string {
  if (!runner.node) throw new AegisError('INTERNAL', 'This store has not joined a cluster (join first).');
  return runner.node;
}

export function createPgClusterShared(pool: pg.Pool, runner: PipelineRunner) {
  const me = () => joinedNode(runner);
  let secret: Promise<string> | undefined;

  return {
    /**
     * Inserts or replaces a pipeline as run by this node: a pipeline another node took over is
     * refused with `LEASE_LOST` and left as it is.
     */
    async putPipeline({ pipeline, spec }: PipelineRecord): Promise<void> {
      const node = me();
      const { rowCount } = await pool.query(
        `insert into "pipelines" ("id", "owner_id", "state", "spec", "status", "created_at", "updated_at", "runner_node", "runner_until")
         values ($1, $2, $3, $4::json, $5::json, $6, $7, $8, ${leaseEnd('$9')})
         on conflict ("id") do update set "state" = excluded."state", "status" = excluded."status",
           "spec" = excluded."spec", "updated_at" = excluded."updated_at"
         where "pipelines"."runner_node" = excluded."runner_node"`,
        [
          pipeline.id,
          pipeline.ownerId,
          pipeline.status,
          JSON.stringify(spec),
          JSON.stringify(pipeline),
          pipeline.createdAt,
          pipeline.updatedAt,
          node,
          runner.leaseMs,
        ],
      );
      if (rowCount === 0) {
        const { rows } = await pool.query<{ runner_node: string | null }>(
          'select "runner_node" from "pipelines" where "id" = $1',
          [pipeline.id],
        );
        throw pipelineLost(pipeline.id, rows[0]?.runner_node ?? null);
      }
    },

    /** Renews this node's hold on the pipelines it runs (with each heartbeat). */
    async renewPipelines(): Promise<void> {
      await pool.query(
        `update "pipelines" set "runner_until" = ${leaseEnd('$2')} where "runner_node" = $1 and "state" = 'running'`,
        [me(), runner.leaseMs],
      );
    },

    /**
     * Running pipelines whose runner's hold ran out (or that have none) — with `own`, also those
     * this node id ran before it restarted — taken over by this node, up to `limit`. Two nodes
     * racing for one get one winner (rows are locked and skipped).
     */
    async claimPipelines(limit: number, opts: { own?: boolean } = {}): Promise<PipelineRecord[]> {
      const { rows } = await pool.query<PipelineRow>(
        `update "pipelines" p set "runner_node" = $1, "runner_until" = ${leaseEnd('$2')}
         where p."id" in (
           select "id" from "pipelines" where "state" = 'running' and (
             "runner_node" is null or "runner_until" is null
             or "runner_until"::timestamptz < clock_timestamp() or ($4 and "runner_node" = $1))
           order by "created_at" limit $3 for update skip locked)
         returning p."spec", p."status"`,
        [me(), runner.leaseMs, limit, opts.own === true],
      );
      return rows.map((r) => ({ pipeline: r.status, spec: r.spec }));
    },

    /** Gives up the pipelines this node runs: another node takes them on at once. */
    async releasePipelines(): Promise<void> {
      if (!runner.node) return;
      await pool.query(
        `update "pipelines" set "runner_node" = null, "runner_until" = null where "runner_node" = $1 and "state" = 'running'`,
        [runner.node],
      );
    },

    /**
     * Counts one request of `key` in the current fixed window of `windowMs` (by the database's
     * clock, so every node agrees on the window). Resolves with the count so far and the
     * milliseconds until the window ends.
     */
    async countRequest(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
      const { rows } = await pool.query<{ count: number; reset_ms: number }>(
        `with t as (select (extract(epoch from clock_timestamp()) * 1000)::float8 as "ms")
         insert into "rate_windows" as w ("key", "window_start", "count")
         select $1, (floor(t."ms" / $2) * $2)::bigint, 1 from t
         on conflict ("key") do update set
           "count" = case when w."window_start" = excluded."window_start" then w."count" + 1 else 1 end,
           "window_start" = excluded."window_start"
         returning "count", ("window_start" + $2 - (extract(epoch from clock_timestamp()) * 1000))::float8 as "reset_ms"`,
        [`${key}:${windowMs}`, windowMs],
      );
      const r = rows[0];
      return { count: r?.count ?? 1, resetInMs: Math.max(0, r?.reset_ms ?? windowMs) };
    },

    /** The secret nodes sign forwarded requests with: made by the first node that asks, then shared. */
    forwardingSecret(): Promise<string> {
      secret ??= (async () => {
        await pool.query(
          `insert into "cluster_secrets" ("name", "secret", "created_at") values ('forwarding', $1, ${iso('clock_timestamp()')})
           on conflict ("name") do nothing`,
          [randomBytes(32).toString('base64url')],
        );
        const { rows } = await pool.query<{ secret: string }>(
          `select "secret" from "cluster_secrets" where "name" = 'forwarding'`,
        );
        const s = rows[0]?.secret;
        if (!s) throw new AegisError('INTERNAL', 'The cluster has no forwarding secret.');
        return s;
      })().catch((err) => {
        secret = undefined;
        throw err;
      });
      return secret;
    },

    /**
     * Takes or renews the named cluster-wide lease for this node (for work one node does for the
     * whole cluster, e.g. the channels): by the database clock, the epoch bumped on each takeover.
     */
    async holdLease(name: string, ms: number) {
      const node = me();
      const { rows } = await pool.query<{ holder_node: string; epoch: number; lease_until: string }>(
        `insert into "cluster_leases" ("name", "holder_node", "epoch", "lease_until", "acquired_at")
         values ($1, $2, 1, ${leaseEnd('$3')}, ${iso('clock_timestamp()')})
         on conflict ("name") do update set "holder_node" = excluded."holder_node",
           "epoch" = case when "cluster_leases"."holder_node" = excluded."holder_node"
             then "cluster_leases"."epoch" else "cluster_leases"."epoch" + 1 end,
           "acquired_at" = case when "cluster_leases"."holder_node" = excluded."holder_node"
             then "cluster_leases"."acquired_at" else excluded."acquired_at" end,
           "lease_until" = excluded."lease_until"
         where "cluster_leases"."holder_node" = excluded."holder_node" or "cluster_leases"."holder_node" is null
           or "cluster_leases"."lease_until" is null or "cluster_leases"."lease_until"::timestamptz < clock_timestamp()
         returning "holder_node", "epoch", "lease_until"`,
        [name, node, ms],
      );
      const won = rows[0];
      if (won) return { held: true, holder: won.holder_node, epoch: won.epoch, until: won.lease_until };
      const held = await pool.query<{
        holder_node: string | null;
        epoch: number;
        lease_until: string | null;
      }>('select "holder_node", "epoch", "lease_until" from "cluster_leases" where "name" = $1', [name]);
      const r = held.rows[0];
      return {
        held: false,
        holder: r?.holder_node ?? null,
        epoch: r?.epoch ?? 0,
        until: r?.lease_until ?? null,
      };
    },

    /** Gives the named lease up at once, if this node holds it. */
    async releaseLease(name: string) {
      if (!runner.node) return;
      await pool.query(
        `update "cluster_leases" set "holder_node" = null, "lease_until" = null where "name" = $1 and "holder_node" = $2`,
        [name, runner.node],
      );
    },
  };
}

export type PgClusterShared = ReturnType<typeof createPgClusterShared>;
