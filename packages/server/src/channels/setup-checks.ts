import { AegisError } from '@aegis/core';
import type { ChannelsConfig, EmailConfig, SlackConfig } from './config.js';

/*
 * Checks of channel settings, for `ag setup` and `ag doctor`: each talks to the real service
 * (Telegram getMe/getChat/getChatMember, Slack auth.test, an SMTP handshake) and says what to fix.
 * The client libraries load on first use: `@aegis/server` is what `ag serve` imports, and a server
 * without channels should not pay for grammY, the Slack SDK or nodemailer at start. They load
 * through our channel modules, never with `import('grammy')`: those libraries are CommonJS, and once
 * `ag` is bundled a dynamic import of CommonJS gives only its `default`.
 */

const telegram = () => import('./telegram/telegram.js');

const telegramApi = async (token: string, apiRoot?: string) => (await telegram()).telegramApi(token, apiRoot);

export interface TelegramBotInfo {
  id: number;
  username: string;
}

/** The bot behind `token` (getMe); `BAD_REQUEST` saying why when the token is refused. */
export async function checkTelegramToken(token: string, apiRoot?: string): Promise<TelegramBotInfo> {
  try {
    const me = await (await telegramApi(token, apiRoot)).getMe();
    return { id: me.id, username: me.username };
  } catch (err) {
    throw new AegisError('BAD_REQUEST', (await telegram()).describeTelegramError(err));
  }
}

export interface TelegramGroupInfo {
  id: number;
  title: string;
  /** Someone who wrote in the group (found while looking for it): the first user to allow. */
  fromUserId: number | null;
}

/**
 * Looks for the group in the bot's updates: the newest message from a supergroup (someone sends
 * `/start@<bot>` there). Waits up to `waitSeconds` for one. `null` when none came.
 */
export async function findTelegramGroup(
  token: string,
  apiRoot?: string,
  waitSeconds = 30,
): Promise<TelegramGroupInfo | null> {
  const api = await telegramApi(token, apiRoot);
  const deadline = Date.now() + waitSeconds * 1000;
  let offset = 0;
  while (Date.now() <= deadline) {
    const left = Math.max(0, Math.min(10, Math.floor((deadline - Date.now()) / 1000)));
    const updates = await api.getUpdates({ offset, timeout: left, allowed_updates: ['message'] });
    for (const u of updates.reverse()) {
      const chat = u.message?.chat as { id: number; type: string; title?: string } | undefined;
      if (chat && (chat.type === 'supergroup' || chat.type === 'group')) {
        return { id: chat.id, title: chat.title ?? String(chat.id), fromUserId: u.message?.from?.id ?? null };
      }
    }
    if (updates.length > 0) offset = Math.max(...updates.map((u) => u.update_id)) + 1;
    if (left === 0) break;
  }
  return null;
}

/** Checks that the group has topics on and that the bot may manage them; throws saying what to change. */
export async function checkTelegramGroup(
  token: string,
  group: number,
  apiRoot?: string,
): Promise<{ title: string }> {
  const api = await telegramApi(token, apiRoot);
  try {
    const me = await api.getMe();
    const chat = await api.getChat(group);
    if (chat.type !== 'supergroup' || !('is_forum' in chat) || !chat.is_forum) {
      throw new AegisError(
        'BAD_REQUEST',
        `The group ${group} has no topics: in Telegram open the group's settings → Topics and turn them on (it becomes a forum supergroup).`,
      );
    }
    const member = await api.getChatMember(group, me.id);
    const canManage = member.status === 'administrator' && member.can_manage_topics === true;
    if (!canManage && member.status !== 'creator') {
      throw new AegisError(
        'BAD_REQUEST',
        `@${me.username} may not manage topics in "${chat.title}": make it an administrator with the "Manage topics" right.`,
      );
    }
    return { title: chat.title };
  } catch (err) {
    if (err instanceof AegisError) throw err;
    throw new AegisError('BAD_REQUEST', (await telegram()).describeTelegramError(err));
  }
}

/** Slack: the token works (auth.test). */
export async function checkSlack(config: Pick<SlackConfig, 'token' | 'apiUrl'>): Promise<string> {
  const { WebClient } = await import('./slack.js');
  const client = new WebClient(config.token, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  try {
    const r = await client.auth.test();
    return `${r.team ?? 'workspace'} as ${r.user ?? 'bot'}`;
  } catch (err) {
    const e = err as { data?: { error?: string }; message?: string };
    throw new AegisError(
      'BAD_REQUEST',
      `Slack refused the token: ${e.data?.error ?? e.message} (a bot token starts xoxb-)`,
    );
  }
}

/** Email: the SMTP server answers and accepts the login (no mail is sent). */
export async function checkSmtp(smtp: EmailConfig['smtp']): Promise<string> {
  const { createTransport } = await import('./email.js');
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
  });
  try {
    await transport.verify();
    return `${smtp.host}:${smtp.port} answers`;
  } catch (err) {
    throw new AegisError(
      'BAD_REQUEST',
      `SMTP ${smtp.host}:${smtp.port}: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    transport.close();
  }
}

export interface ChannelCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Checks every configured channel against its service (for `ag doctor`). */
export async function probeChannels(channels: ChannelsConfig): Promise<ChannelCheck[]> {
  const checks: Promise<ChannelCheck>[] = [];
  const run = (name: string, fn: () => Promise<string>) =>
    checks.push(
      fn().then(
        (detail) => ({ name, ok: true, detail }),
        (err) => ({ name, ok: false, detail: err instanceof Error ? err.message : String(err) }),
      ),
    );
  const tg = channels.telegram;
  if (tg) {
    run('telegram', async () => {
      const bot = await checkTelegramToken(tg.token, tg.apiRoot);
      const group = await checkTelegramGroup(tg.token, tg.group, tg.apiRoot);
      const users = tg.allowedUserIds.length;
      return `@${bot.username} in "${group.title}" (topics on), ${users} allowed user${users === 1 ? '' : 's'}`;
    });
  }
  const slack = channels.slack;
  if (slack) run('slack', () => checkSlack(slack));
  const email = channels.email;
  if (email) run('email', () => checkSmtp(email.smtp));
  return Promise.all(checks);
}
