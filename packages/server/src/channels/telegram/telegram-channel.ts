import { basename } from 'node:path';
import type { AegisEvent, EventOf, OutboxChannel, OutboxItem } from '@aegis/core';
import { ChannelSendError } from '@aegis/core';
import { type Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import type { TelegramConfig } from '../config.js';
import { channelFilter } from '../filter.js';
import {
  CHAT_DEFAULT_EVENTS,
  eventText,
  permissionText,
  questionText,
  resolvedText,
  splitText,
  turnReply,
} from '../format.js';
import type { ChannelContext } from '../types.js';

/** Keys of the values the Telegram channel keeps in the outbox store. */
export const tgKeys = {
  topic: (sessionId: string) => `topic:${sessionId}`,
  sessionOf: (threadId: number) => `session-of:${threadId}`,
  /** The message of a permission request: `<message_id>` (to edit it once decided). */
  permission: (sessionId: string, requestId: string) => `perm:${sessionId}:${requestId}`,
  /** Set once a button press decided a request (its message already says who). */
  decided: (sessionId: string, requestId: string) => `decided:${sessionId}:${requestId}`,
};

/** Maps a Bot API failure onto what the outbox does next. */
export function sendErrorOf(err: unknown): Error {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) {
      return new ChannelSendError(err.description, {
        retryAfterMs: (err.parameters.retry_after ?? 5) * 1000,
      });
    }
    // 5xx, and 401 (a token being fixed) are retried; other refusals will not change by retrying.
    const permanent = err.error_code >= 400 && err.error_code < 500 && err.error_code !== 401;
    return new ChannelSendError(`Telegram ${err.method}: ${err.error_code} ${err.description}`, {
      permanent,
    });
  }
  if (err instanceof HttpError) return new ChannelSendError(`Telegram unreachable: ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}

/** Telegram's answer to a button: approve once, always, reject. */
export const PERMISSION_ACTIONS = { a: 'approve', A: 'always', r: 'reject' } as const;

/**
 * The Telegram outbox channel: one forum topic per session (created on its first message), the
 * session's events as messages in it, permission requests with Approve / Always / Reject buttons.
 * The buttons carry the outbox item id (`p:<item>:<a|A|r>`), well under Telegram's 64 bytes.
 */
export function createTelegramOutbound(config: TelegramConfig, bot: Bot, ctx: ChannelContext): OutboxChannel {
  const { outbox } = ctx;
  const group = config.group;
  const now = () => new Date().toISOString();
  const accepts = channelFilter(
    config,
    CHAT_DEFAULT_EVENTS,
    (id) => ctx.store.getSession(id),
    async (id) => (await ctx.store.templates.get(id))?.name,
  );

  async function topicFor(sessionId: string): Promise<number> {
    const known = await outbox.getValue('telegram', tgKeys.topic(sessionId));
    if (known) return Number(known);
    const session = await ctx.store.getSession(sessionId);
    const label = session?.name ?? (session ? basename(session.workDir) : 'session');
    const topic = await bot.api.createForumTopic(group, `${label} · ${sessionId.slice(0, 8)}`.slice(0, 128));
    await outbox.setValue('telegram', tgKeys.topic(sessionId), String(topic.message_thread_id), now());
    await outbox.setValue('telegram', tgKeys.sessionOf(topic.message_thread_id), sessionId, now());
    return topic.message_thread_id;
  }

  async function sendText(thread: number, text: string, keyboard?: InlineKeyboard) {
    const m = await bot.api.sendMessage(group, text, {
      message_thread_id: thread,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    return m.message_id;
  }

  async function sendReply(thread: number, event: EventOf<'turn.completed'>): Promise<number> {
    const reply = await turnReply(event, (q) => ctx.store.listEvents(q));
    const text = reply || `✅ Turn completed (${event.data.stopReason}), no text reply.`;
    const parts = splitText(text, config.maxMessageChars);
    if (parts.length <= 3) {
      let last = 0;
      for (const [i, part] of parts.entries())
        last = await sendText(thread, parts.length > 1 ? `(${i + 1}/${parts.length}) ${part}` : part);
      return last;
    }
    const m = await bot.api.sendDocument(group, new InputFile(Buffer.from(text, 'utf8'), 'reply.md'), {
      message_thread_id: thread,
      caption: `✅ Reply (${text.length} characters), attached.`,
    });
    return m.message_id;
  }

  async function send(item: OutboxItem): Promise<{ ref?: string | null }> {
    const event = item.event as AegisEvent;
    try {
      const thread = await topicFor(event.sessionId);
      switch (event.type) {
        case 'permission.requested': {
          const kb = new InlineKeyboard()
            .text('Approve', `p:${item.id}:a`)
            .text('Always', `p:${item.id}:A`)
            .text('Reject', `p:${item.id}:r`);
          const id = await sendText(thread, permissionText(event), kb);
          await outbox.setValue(
            'telegram',
            tgKeys.permission(event.sessionId, event.data.requestId),
            String(id),
            now(),
          );
          return { ref: String(id) };
        }
        case 'permission.resolved': {
          // A button press already edited the message to say who decided.
          const key = tgKeys.permission(event.sessionId, event.data.requestId);
          const [messageId, decided] = await Promise.all([
            outbox.getValue('telegram', key),
            outbox.getValue('telegram', tgKeys.decided(event.sessionId, event.data.requestId)),
          ]);
          if (decided) return { ref: null };
          if (messageId) {
            await bot.api
              .editMessageReplyMarkup(group, Number(messageId), { reply_markup: { inline_keyboard: [] } })
              .catch(() => {});
          }
          return { ref: String(await sendText(thread, resolvedText(event))) };
        }
        case 'question.asked': {
          const q = event.data.questions.length === 1 ? event.data.questions[0] : undefined;
          const kb = new InlineKeyboard();
          for (const [i, o] of (q?.options ?? []).slice(0, 8).entries())
            kb.text(o.label.slice(0, 40), `q:${item.id}:${i}`).row();
          return {
            ref: String(await sendText(thread, questionText(event), q?.options.length ? kb : undefined)),
          };
        }
        case 'turn.completed':
          return { ref: String(await sendReply(thread, event)) };
        default: {
          const session = await ctx.store.getSession(event.sessionId);
          const text = eventText(event, { name: session?.name ?? null, workDir: session?.workDir ?? '' });
          return text ? { ref: String(await sendText(thread, text)) } : { ref: null };
        }
      }
    } catch (err) {
      if (
        err instanceof GrammyError &&
        /thread not found|TOPIC_DELETED|TOPIC_CLOSED/i.test(err.description)
      ) {
        // The topic was deleted in Telegram: forget it, the retry opens a new one.
        await outbox.setValue('telegram', tgKeys.topic(event.sessionId), '', now()).catch(() => {});
        throw new ChannelSendError(
          `Telegram: the session's topic is gone (${err.description}); opening a new one`,
        );
      }
      throw sendErrorOf(err);
    }
  }

  return { name: 'telegram', accepts, send };
}
