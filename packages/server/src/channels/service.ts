import {
  AegisError,
  type AegisStore,
  type ChannelDispatcher,
  type ChannelOutboxStore,
  createMemoryChannelOutbox,
  type OutboxChannel,
  type OutboxStats,
  startChannelDispatcher,
} from '@aegis/core';
import { chatSessions } from './chat-sessions.js';
import { CHANNEL_NAMES, type ChannelName, type ChannelsConfig } from './config.js';
import { holdRunnerLease, type RunnerLease } from './runner-lease.js';
import type { ChannelContext, ChannelProbe } from './types.js';

/** One channel as `GET /v1/channels` shows it. */
export interface ChannelInfo {
  name: ChannelName;
  configured: boolean;
  /** `disabled` (not configured), `starting`, `ok`, `retrying` (sends failing, retried), `error`, `stopped`. */
  state: 'disabled' | 'starting' | 'ok' | 'retrying' | 'error' | 'stopped';
  lastError: string | null;
  lastErrorAt: string | null;
  lastSentAt: string | null;
  pausedUntil: string | null;
  /** Items waiting to be sent. */
  queueDepth: number;
  outbox: OutboxStats | null;
  /** What the channel's own check found (e.g. the bot's @name, or why its token was refused). */
  detail: string | null;
  /**
   * On a cluster, the node that polls Telegram and delivers the outbox now (the holder of the
   * `channels` lease); `null` when not a cluster or nobody holds it yet.
   */
  runner: string | null;
}

interface RunningChannel {
  channel: OutboxChannel;
  probe: ChannelProbe;
  test(): Promise<string>;
  /**
   * Starts what only the node running the channels does (Telegram's long polling, email digests)
   * and returns how to stop it. Every node can still take webhook updates and button clicks.
   */
  run?(): () => Promise<void>;
  close(): Promise<void>;
  handleUpdate?(update: unknown): Promise<void>;
  interact?(payload: Record<string, unknown>): Promise<string>;
}

export interface ChannelsService {
  /**
   * Resolves once each running channel's place in the event log is fixed (at the newest event, the
   * first time a channel is configured). Await it before serving: on a cluster the outbox is fed
   * only once some node holds the `channels` lease, and events stored before then must not be skipped.
   */
  ready: Promise<void>;
  list(): Promise<ChannelInfo[]>;
  /** Sends a test message through `name`; `CHANNEL_NOT_CONFIGURED` (404) when it is not set up. */
  test(name: string): Promise<{ delivered: boolean; detail: string }>;
  /** The running channel `name`, for routes that receive its callbacks (webhooks, interactivity). */
  running(name: ChannelName): RunningChannel | undefined;
  close(): Promise<void>;
}

export type ChannelStarters = Partial<
  Record<
    ChannelName,
    (config: NonNullable<ChannelsConfig[ChannelName]>, ctx: ChannelContext) => RunningChannel
  >
>;

/**
 * The starters of the configured channels only: each channel's client library (grammY, the Slack
 * SDK, nodemailer) loads here, so a server without channels never loads them.
 */
export async function loadChannelStarters(config: ChannelsConfig): Promise<ChannelStarters> {
  const starters: ChannelStarters = {};
  if (config.telegram) {
    const { startTelegram } = await import('./telegram/telegram.js');
    starters.telegram = (c, ctx) => startTelegram(c as NonNullable<ChannelsConfig['telegram']>, ctx);
  }
  if (config.email) {
    const { startEmail } = await import('./email.js');
    starters.email = (c, ctx) => startEmail(c as NonNullable<ChannelsConfig['email']>, ctx);
  }
  if (config.slack) {
    const { startSlack } = await import('./slack.js');
    starters.slack = (c, ctx) => startSlack(c as NonNullable<ChannelsConfig['slack']>, ctx);
  }
  return starters;
}

/**
 * Starts the configured channels and the outbox dispatcher beside the engine. Nothing here is on
 * the engine's event path: the dispatcher reads the stored log and sends from its own loops.
 */
export function startChannels(
  config: ChannelsConfig,
  ctx: Omit<ChannelContext, 'outbox' | 'sessions'>,
  options: {
    /** What starts each channel: `loadChannelStarters(config)`, or stand-ins; a channel without one stays off. */
    starters?: ChannelStarters;
    pollMs?: number;
    /**
     * A cluster node: the channels run (Telegram polling, outbox delivery) on whichever node holds
     * the `channels` lease, one at a time. Every node still answers webhooks and button clicks.
     */
    cluster?: { store: NonNullable<AegisStore['cluster']>; leaseMs: number } | undefined;
  } = {},
): ChannelsService {
  const starters = options.starters ?? {};
  const configured = CHANNEL_NAMES.filter((n) => config[n] && starters[n]);
  let outbox: ChannelOutboxStore | undefined = ctx.store.channelOutbox;
  if (!outbox && configured.length > 0) {
    ctx.logger.warn(
      'this store keeps no channel outbox: channel deliveries are kept in memory and lost on restart',
      {},
    );
    outbox = createMemoryChannelOutbox(() => 0);
  }
  // A chat user's action on a session another node owns is sent to that node (signed with the
  // cluster's forwarding secret, as forwarded API requests are).
  const full: ChannelContext = {
    ...ctx,
    outbox: outbox as ChannelOutboxStore,
    sessions: chatSessions(ctx.aegis, options.cluster?.store),
  };
  const running = new Map<ChannelName, RunningChannel>();
  for (const name of configured) {
    try {
      running.set(
        name,
        (starters[name] as NonNullable<ChannelStarters[ChannelName]>)(config[name] as never, full),
      );
    } catch (err) {
      ctx.logger.warn(`the ${name} channel could not start; Aegis keeps serving without it`, {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  // Every node fixes each channel's cursor now (the first node to do so wins), not the runner when it
  // gets the lease: a session created in between would otherwise never be announced.
  const ready = Promise.all(
    [...running.keys()].map((name) =>
      full.outbox.start(name, new Date().toISOString()).catch((err) => {
        ctx.logger.warn(`could not fix the ${name} channel's place in the event log`, { error: String(err) });
      }),
    ),
  ).then(() => {});
  // What only the runner does: deliver the outbox, poll, send digests. A single server runs them at
  // once; a cluster node while it holds the `channels` lease.
  let dispatcher: ChannelDispatcher | null = null;
  let stops: (() => Promise<void>)[] = [];
  let pruner: NodeJS.Timeout | null = null;
  let lease: RunnerLease | null = null;
  const active = () => lease?.holding() ?? true;
  // Finished items are kept a week for inspection, then pruned (checked every hour).
  const prune = () =>
    full.outbox
      .prune(new Date(Date.now() - 7 * 24 * 3600_000).toISOString())
      .catch((err) => ctx.logger.warn('could not prune the channel outbox', { error: String(err) }));

  function runChannels(): void {
    if (dispatcher || running.size === 0) return;
    dispatcher = startChannelDispatcher({
      store: full.outbox,
      events: (q) => ctx.aegis.events(q),
      subscribe: (l) => ctx.aegis.subscribe(l),
      channels: [...running.values()].map((r) => r.channel),
      pollMs: options.pollMs,
      active,
      log: (level, message, fields) => ctx.logger[level](message, fields),
    });
    stops = [...running.values()].flatMap((r) => (r.run ? [r.run()] : []));
    pruner = setInterval(prune, 3600_000);
    pruner.unref();
  }

  async function stopChannels(): Promise<void> {
    const d = dispatcher;
    dispatcher = null;
    if (pruner) clearInterval(pruner);
    pruner = null;
    const s = stops;
    stops = [];
    await Promise.allSettled([d?.close(), ...s.map((stop) => stop())]);
  }

  if (running.size > 0) {
    if (options.cluster) {
      lease = holdRunnerLease({
        cluster: options.cluster.store,
        leaseMs: options.cluster.leaseMs,
        onAcquired: runChannels,
        onLost: stopChannels,
        logger: ctx.logger,
      });
    } else {
      runChannels();
    }
  }

  async function info(name: ChannelName): Promise<ChannelInfo> {
    const r = running.get(name);
    const status = dispatcher?.status(name);
    const stats = r ? await full.outbox.stats(name).catch(() => null) : null;
    const probeError = r?.probe.ok === false ? r.probe.error : null;
    // A node that does not run the channels (another holds the lease) is fine once its own check is.
    const standby = !status && !!lease?.holder() && r?.probe.ok === true;
    return {
      name,
      configured: !!config[name],
      state: !r ? 'disabled' : probeError ? 'error' : (status?.state ?? (standby ? 'ok' : 'starting')),
      lastError: probeError ?? status?.lastError ?? r?.probe.error ?? null,
      lastErrorAt: status?.lastErrorAt ?? null,
      lastSentAt: status?.lastSentAt ?? null,
      pausedUntil: status?.pausedUntil ?? null,
      queueDepth: stats ? stats.pending + stats.sending : 0,
      outbox: stats,
      detail: r?.probe.detail ?? null,
      runner: lease?.holder() ?? null,
    };
  }

  return {
    ready,
    list: () => Promise.all(CHANNEL_NAMES.map(info)),
    async test(name) {
      if (!(CHANNEL_NAMES as readonly string[]).includes(name)) {
        throw new AegisError(
          'CHANNEL_NOT_FOUND',
          `There is no channel "${name}"; channels are ${CHANNEL_NAMES.join(', ')}.`,
        );
      }
      const r = running.get(name as ChannelName);
      if (!r) {
        throw new AegisError(
          'CHANNEL_NOT_CONFIGURED',
          `The ${name} channel is not configured; run \`ag setup ${name}\` or see docs/channels.md.`,
        );
      }
      try {
        return { delivered: true, detail: await r.test() };
      } catch (err) {
        return { delivered: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    running: (name) => running.get(name),
    async close() {
      if (lease) await lease.close();
      else await stopChannels();
      await Promise.allSettled([...running.values()].map((r) => r.close()));
    },
  };
}
