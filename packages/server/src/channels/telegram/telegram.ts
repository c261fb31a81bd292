import { Api, Bot, GrammyError } from 'grammy';
import type { TelegramConfig } from '../config.js';
import type { ChannelContext, ChannelProbe } from '../types.js';
import { createTelegramOutbound } from './telegram-channel.js';
import { handleTelegramUpdates } from './telegram-inbound.js';

/** The Bot API root when none is configured. */
export const TELEGRAM_DEFAULT_API_ROOT = 'https://api.telegram.org';

/** A grammY bot for `config` (its API root, a bounded request timeout). */
export function telegramBot(config: Pick<TelegramConfig, 'token' | 'apiRoot'>): Bot {
  return new Bot(config.token, {
    client: { apiRoot: config.apiRoot ?? TELEGRAM_DEFAULT_API_ROOT, timeoutSeconds: 60 },
  });
}

/** A Bot API client for one-off checks (`ag setup`, `ag doctor`): no polling, 20 s per call. */
export function telegramApi(token: string, apiRoot?: string): Api {
  return new Api(token, { apiRoot: apiRoot ?? TELEGRAM_DEFAULT_API_ROOT, timeoutSeconds: 20 });
}

/** Why a Bot API call failed, in words a person can act on. */
export function describeTelegramError(err: unknown): string {
  if (err instanceof GrammyError && err.error_code === 401)
    return 'Telegram refused the bot token (401 Unauthorized): check AEGIS_TG_TOKEN / channels.telegram.token (from @BotFather)';
  if (err instanceof GrammyError) return `Telegram answered ${err.error_code}: ${err.description}`;
  return `Telegram is unreachable: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Telegram as a running channel: the outbox side (see telegram-channel.ts) and the update side
 * (long polling by default, or webhook updates handed in by the HTTP route).
 */
export function startTelegram(config: TelegramConfig, ctx: ChannelContext) {
  const bot = telegramBot(config);
  const probe: ChannelProbe = { ok: null, error: null, detail: null };
  // Each update is acted on at most once: recorded in the store before anything is done with it.
  // Telegram delivers an update again when it was not confirmed (a runner that died before its
  // next getUpdates, a webhook answer that never arrived); such an update is skipped.
  bot.use(async (c, next) => {
    const id = c.update.update_id;
    if (!(await ctx.outbox.claimUpdate('telegram', String(id), new Date().toISOString()))) {
      ctx.logger.info('skipped a Telegram update already taken (delivered again)', { updateId: id });
      return;
    }
    await next();
  });
  handleTelegramUpdates(bot, config, ctx);
  bot.catch((err) => {
    ctx.logger.error('a Telegram update failed; ignored', {
      updateId: err.ctx?.update?.update_id,
      error: err.error instanceof Error ? err.error.message : String(err.error),
    });
  });
  let stopped = true;

  const ready = (async () => {
    try {
      await bot.init();
      probe.ok = true;
      probe.detail = `@${bot.botInfo.username}`;
    } catch (err) {
      probe.ok = false;
      probe.error = describeTelegramError(err);
      ctx.logger.warn(
        `Telegram channel: ${probe.error}. Aegis keeps serving; the channel's messages wait in the outbox.`,
        {},
      );
      return false;
    }
    if (config.allowedUserIds.length === 0) {
      ctx.logger.warn(
        'Telegram channel: no allowedUserIds, so nobody can act from Telegram (set AEGIS_TG_ALLOWED_USERS to your user ids)',
        {},
      );
    }
    return true;
  })();

  async function poll(): Promise<void> {
    if (!(await ready) || config.mode !== 'polling' || stopped) return;
    while (!stopped) {
      try {
        await bot.start({ allowed_updates: ['message', 'callback_query'], drop_pending_updates: false });
        return;
      } catch (err) {
        probe.error = describeTelegramError(err);
        ctx.logger.warn('Telegram polling stopped; retrying in 5 s', { error: probe.error });
        await new Promise((r) => setTimeout(r, 5000).unref());
      }
    }
  }
  let polling: Promise<void> = Promise.resolve();
  async function stopPolling() {
    stopped = true;
    // `stop` confirms the last update with one more getUpdates; bounded if the API is down.
    if (bot.isRunning()) {
      await Promise.race([bot.stop().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await Promise.race([polling, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  return {
    bot,
    probe,
    channel: createTelegramOutbound(config, bot, ctx),
    /** Webhook mode: one update from `POST /v1/channels/telegram/webhook`. */
    async handleUpdate(update: unknown) {
      if (!(await ready)) throw new Error(probe.error ?? 'the Telegram channel is not ready');
      await bot.handleUpdate(update as Parameters<Bot['handleUpdate']>[0]);
    },
    /** Sends a test message to the group's General topic. */
    async test(): Promise<string> {
      const m = await bot.api.sendMessage(config.group, '✅ Aegis test message: the Telegram channel works.');
      return `sent message ${m.message_id} to ${config.group}`;
    },
    /** Long polling (in `polling` mode), by the one node that runs the channels. */
    run() {
      stopped = false;
      polling = poll();
      return stopPolling;
    },
    close: stopPolling,
  };
}
