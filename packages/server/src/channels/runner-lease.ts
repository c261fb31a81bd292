import { performance } from 'node:perf_hooks';
import type { AegisStore } from '@aegis/core';
import type { Logger } from '../logger.js';

/** The cluster-wide lease under which one node polls Telegram and delivers the channel outbox. */
export const CHANNELS_LEASE = 'channels';

export interface RunnerLease {
  /**
   * This node runs the channels now: it holds the lease and renewed it recently enough, by its own
   * clock, that the lease cannot have run out meanwhile (a node that was paused sends nothing more).
   */
  holding(): boolean;
  /** The node that held the lease when last looked at (`null`: nobody, or not known yet). */
  holder(): string | null;
  /** Stops running the channels here (if it did) and gives the lease up. */
  close(): Promise<void>;
}

export interface RunnerLeaseOptions {
  cluster: NonNullable<AegisStore['cluster']>;
  leaseMs: number;
  /** Called once this node took the lease: start what only the runner does. */
  onAcquired(): void | Promise<void>;
  /** Called once this node lost the lease (or stops): stop all of it before anyone else starts. */
  onLost(): Promise<void>;
  logger: Logger;
}

/**
 * Competes for the `channels` lease: tries to take it, and renews it while held, every third of
 * the lease; another node takes it over only once the holder stopped renewing it (died, paused,
 * cut off from the database) or gave it up. A renewal that fails for longer than 80 % of the lease
 * stops the channels here, before another node can take over.
 */
export function holdRunnerLease(options: RunnerLeaseOptions): RunnerLease {
  const { cluster, leaseMs, logger } = options;
  const everyMs = Math.max(50, Math.floor(leaseMs / 3));
  const freshMs = leaseMs * 0.8;
  let held = false;
  let renewedAt = 0;
  let holder: string | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  async function lose(why: string, fields: Record<string, unknown>): Promise<void> {
    held = false;
    logger.warn(`${why}; this node stops running the channels`, fields);
    await options.onLost();
  }

  async function tick(): Promise<void> {
    const startedAt = performance.now();
    try {
      const lease = await cluster.holdLease(CHANNELS_LEASE, leaseMs);
      failures = 0;
      holder = lease.holder;
      if (lease.held) {
        renewedAt = startedAt;
        if (!held && !stopped) {
          held = true;
          logger.info('this node runs the channels (Telegram polling, outbox delivery)', {
            epoch: lease.epoch,
          });
          await options.onAcquired();
        }
      } else if (held) {
        await lose('another node took the channels over', { holder: lease.holder });
      }
    } catch (err) {
      // Before the node joined the cluster the store refuses; later, the database may be away.
      failures++;
      const error = err instanceof Error ? err.message : String(err);
      if (held && performance.now() - renewedAt > freshMs) {
        await lose('could not renew the channels lease', { error });
      } else if (failures === 10) {
        logger.warn('cannot take or renew the channels lease; retrying', { error });
      }
    }
  }

  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) {
        timer = setTimeout(loop, everyMs);
        timer.unref();
      }
    });
  };
  loop();

  return {
    holding: () => held && performance.now() - renewedAt < freshMs,
    holder: () => holder,
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => {});
      const was = held;
      held = false;
      if (was) await options.onLost();
      // Also when a renewal was under way as the stop came: giving up a lease another holds does nothing.
      await cluster
        .releaseLease(CHANNELS_LEASE)
        .catch((err) => logger.warn('could not give the channels lease up', { error: String(err) }));
    },
  };
}
