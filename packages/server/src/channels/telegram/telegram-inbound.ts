import { type Actor, AegisError, type EventOf } from '@aegis/core';
import type { Bot, Context } from 'grammy';
import type { TelegramConfig } from '../config.js';
import { permissionText } from '../format.js';
import { channelActor, explainForChat, roleRefusal } from '../roles.js';
import type { ChannelContext } from '../types.js';
import { PERMISSION_ACTIONS, tgKeys } from './telegram-channel.js';

const HELP =
  'In a session topic: type a prompt, or /status, /interrupt, /kill. In General: /new <workDir> <prompt> starts a session.';

/**
 * What people do in the group: press buttons, type prompts and commands. Only the allowlisted
 * user ids act, with the configured role (`channels.telegram.role`): a viewer only reads, an
 * operator drives the sessions it started, an admin every session; everyone else is refused.
 * Every action, refused or not, is audited with the Telegram user (`telegram:<id>`, the role) as
 * the actor. Updates that are not understood are logged and ignored.
 */
export function handleTelegramUpdates(bot: Bot, config: TelegramConfig, ctx: ChannelContext): void {
  const { sessions, outbox, logger } = ctx;
  const allowed = new Set(config.allowedUserIds);
  const role = config.role;
  const actorOf = (userId: number): Actor => channelActor(`telegram:${userId}`, role);

  const audit = (
    c: Context,
    action: string,
    target: string | null,
    outcome: string,
    details: Record<string, unknown> = {},
  ) =>
    ctx.store.audit
      .append({
        at: new Date().toISOString(),
        actorId: c.from ? `telegram:${c.from.id}` : null,
        actorRole: role,
        action: `channels.telegram.${action}`,
        target,
        outcome,
        details: { username: c.from?.username ?? null, chatId: c.chat?.id ?? null, ...details },
      })
      .catch((err) => logger.error('could not audit a Telegram action', { action, error: String(err) }));

  const outcomeOf = (err: unknown) => (err instanceof AegisError ? err.code : 'ERROR');
  const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const explain = (err: unknown, c: Context) => explainForChat(err, 'telegram', actorOf(c.from?.id ?? 0));
  const who = (c: Context) =>
    c.from?.username ? `@${c.from.username}` : `${c.from?.first_name ?? 'user'} (${c.from?.id})`;

  /** Refuses (and audits) anyone not allowlisted, and viewers trying to act; true when the user may. */
  async function mayAct(c: Context, action: string, target: string | null = null): Promise<boolean> {
    let text: string;
    if (c.from && allowed.has(c.from.id)) {
      const refusal = roleRefusal('telegram', role, action);
      if (!refusal) return true;
      await audit(c, action, target, 'refused', { reason: `role ${role}` });
      text = refusal;
    } else {
      await audit(c, action, target, 'refused', { reason: 'not in allowedUserIds' });
      logger.warn('refused a Telegram user who is not allowlisted', { userId: c.from?.id, action });
      text = `Sorry, you may not control Aegis sessions here (user id ${c.from?.id} is not in allowedUserIds).`;
    }
    if (c.callbackQuery)
      await c.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true }).catch(() => {});
    else await c.reply(text, replyTo(c)).catch(() => {});
    return false;
  }

  const replyTo = (c: Context) => {
    const thread = c.msg?.message_thread_id;
    return thread ? { message_thread_id: thread } : {};
  };

  bot.on('callback_query:data', async (c) => {
    const data = c.callbackQuery.data;
    const m = /^(p|q):(\d+):([aAr]|\d+)$/.exec(data);
    if (!m) {
      logger.warn('ignored a Telegram button with unknown data', { data: data.slice(0, 64) });
      await c.answerCallbackQuery({ text: 'Unknown button.' }).catch(() => {});
      return;
    }
    const pressed = m[1] === 'p' ? (PERMISSION_ACTIONS[m[3] as 'a' | 'A' | 'r'] ?? 'permission') : 'answer';
    if (!(await mayAct(c, pressed))) return;
    const item = await outbox.get(Number(m[2]));
    const event = item?.channel === 'telegram' ? item.event : undefined;
    if (m[1] === 'p' && event?.type === 'permission.requested')
      return decidePermission(c, event, m[3] as 'a' | 'A' | 'r');
    if (m[1] === 'q' && event?.type === 'question.asked') return answerQuestion(c, event, Number(m[3]));
    logger.warn('ignored a Telegram button for an unknown delivery', { data });
    await c.answerCallbackQuery({ text: 'Unknown button.' }).catch(() => {});
  });

  async function decidePermission(c: Context, event: EventOf<'permission.requested'>, code: 'a' | 'A' | 'r') {
    const action = PERMISSION_ACTIONS[code];
    const { sessionId } = event;
    const { requestId } = event.data;
    const stale = async (why: string) => {
      await c.answerCallbackQuery({ text: why }).catch(() => {});
      await audit(c, action, sessionId, 'stale', { requestId });
    };
    let session: Awaited<ReturnType<typeof sessions.get>> | undefined;
    try {
      session = await sessions.get(sessionId, actorOf(c.from?.id ?? 0));
    } catch (err) {
      if (err instanceof AegisError && err.code === 'SESSION_NOT_FOUND' && role !== 'admin') {
        // The session is in the group, but this role may not act on it (someone else started it).
        await audit(c, action, sessionId, 'refused', { requestId, reason: `role ${role}` });
        await c
          .answerCallbackQuery({ text: explain(err, c).slice(0, 200), show_alert: true })
          .catch(() => {});
        return;
      }
      session = undefined;
    }
    const pending = session?.pendingPermission;
    if (!pending || (pending.requestId !== requestId && (session?.pendingPermissionCount ?? 0) <= 1)) {
      await stale('Already decided.');
      await c.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => {});
      return;
    }
    if (pending.requestId !== requestId)
      return stale('An earlier request waits in this session: answer that one first.');
    try {
      await sessions.respondPermission(
        sessionId,
        { approve: code !== 'r', scope: code === 'A' ? 'always' : 'once' },
        actorOf(c.from?.id ?? 0),
      );
    } catch (err) {
      await audit(c, action, sessionId, outcomeOf(err), { requestId, error: messageOf(err) });
      await c
        .answerCallbackQuery({
          text:
            err instanceof AegisError && err.code === 'NOTHING_PENDING'
              ? 'Already decided.'
              : messageOf(err).slice(0, 190),
        })
        .catch(() => {});
      return;
    }
    await outbox.setValue(
      'telegram',
      tgKeys.decided(sessionId, requestId),
      String(c.from?.id),
      new Date().toISOString(),
    );
    await audit(c, action, sessionId, 'ok', { requestId });
    const verdict = code === 'r' ? '⛔ Rejected' : code === 'A' ? '✅ Approved (always)' : '✅ Approved';
    await c.answerCallbackQuery({ text: verdict }).catch(() => {});
    await c
      .editMessageText(`${permissionText(event)}\n\n${verdict} by ${who(c)}`, {
        reply_markup: { inline_keyboard: [] },
      })
      .catch((err) => logger.warn('could not edit a Telegram permission message', { error: messageOf(err) }));
  }

  async function answerQuestion(c: Context, event: EventOf<'question.asked'>, index: number) {
    const option = event.data.questions[0]?.options[index];
    if (!option) return void (await c.answerCallbackQuery({ text: 'Unknown option.' }).catch(() => {}));
    try {
      await sessions.answerQuestion(
        event.sessionId,
        { answer: option.value ?? option.label },
        actorOf(c.from?.id ?? 0),
      );
      await audit(c, 'answer', event.sessionId, 'ok', { questionId: event.data.questionId });
      await c.answerCallbackQuery({ text: `Answered: ${option.label}` }).catch(() => {});
      await c
        .editMessageText(`${c.msg?.text ?? ''}\n\n✅ ${option.label} (${who(c)})`, {
          reply_markup: { inline_keyboard: [] },
        })
        .catch(() => {});
    } catch (err) {
      await audit(c, 'answer', event.sessionId, outcomeOf(err), { error: messageOf(err) });
      await c
        .answerCallbackQuery({
          text:
            err instanceof AegisError && err.code === 'NOTHING_PENDING'
              ? 'Already answered.'
              : explain(err, c).slice(0, 190),
        })
        .catch(() => {});
    }
  }

  bot.on('message:text', async (c) => {
    if (c.chat.id !== config.group) {
      logger.debug('ignored a Telegram message outside the configured group', { chatId: c.chat.id });
      return;
    }
    const text = c.msg.text.trim();
    const [head = '', ...rest] = text.split(/\s+/);
    const command = head.startsWith('/') ? head.slice(1).split('@')[0]?.toLowerCase() : undefined;
    const thread = c.msg.message_thread_id;
    const sessionId = thread ? await outbox.getValue('telegram', tgKeys.sessionOf(thread)) : undefined;
    if (!(await mayAct(c, command ?? 'prompt', sessionId ?? null))) return;
    const actor = actorOf(c.from.id);
    const say = (t: string) => c.reply(t, replyTo(c)).catch(() => {});

    if (command === 'new') {
      const [workDir, ...words] = rest;
      if (!workDir) return void (await say('Usage: /new <workDir> <prompt>'));
      const prompt = words.join(' ') || undefined;
      await audit(c, 'create', workDir, 'started', { prompt: prompt?.slice(0, 200) ?? null });
      // Creating waits for the agent to start: done beside the update loop, which keeps serving.
      void sessions
        .create({ workDir, prompt, reuse: false }, actor)
        .then(async ({ session }) => {
          await audit(c, 'create', session.id, 'ok', { workDir });
          await say(`Started session ${session.name ?? session.id.slice(0, 8)}; it has its own topic.`);
        })
        .catch(async (err) => {
          await audit(c, 'create', workDir, outcomeOf(err), { error: messageOf(err) });
          await say(`Could not start a session: ${messageOf(err)}`);
        });
      return;
    }
    if (!sessionId) {
      if (command === 'help' || command === 'start' || !command) return void (await say(HELP));
      return void (await say(`/${command} works in a session's topic. ${HELP}`));
    }
    const act = async (action: string, fn: () => Promise<string>) => {
      try {
        const reply = await fn();
        await audit(c, action, sessionId, 'ok', action === 'prompt' ? { text: text.slice(0, 200) } : {});
        if (reply) await say(reply);
      } catch (err) {
        await audit(c, action, sessionId, outcomeOf(err), { error: messageOf(err) });
        await say(`Could not ${action}: ${explain(err, c)}`);
      }
    };
    switch (command) {
      case 'status':
        return act('status', async () => {
          const s = await sessions.get(sessionId, actor);
          const waiting = s.pendingPermission ? `\nWaiting for: ${s.pendingPermission.title}` : '';
          return `Status: ${s.status}\nWorkDir: ${s.workDir}\nTurns: ${s.turns}${waiting}`;
        });
      case 'interrupt':
        return act('interrupt', async () => {
          const r = await sessions.interrupt(sessionId, actor);
          return r.interrupted
            ? `Interrupted${r.droppedPrompts ? ` (${r.droppedPrompts} queued prompts dropped)` : ''}.`
            : 'Nothing was running.';
        });
      case 'kill':
        return act('kill', async () => {
          await sessions.kill(sessionId, actor);
          return '';
        });
      case undefined:
        return act('prompt', async () => {
          const s = await sessions.get(sessionId, actor);
          if (s.status === 'asking') {
            await sessions.answerQuestion(sessionId, { answer: text }, actor);
            return '';
          }
          const d = await sessions.prompt(sessionId, text, actor);
          return d.queued ? `Queued (position ${d.position}).` : '';
        });
      default:
        return void (await say(`Unknown command /${command}. ${HELP}`));
    }
  });
}
