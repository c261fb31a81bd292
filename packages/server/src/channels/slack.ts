import type { AegisEvent, OutboxItem } from '@aegis/core';
import { AegisError, ChannelSendError } from '@aegis/core';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { SlackConfig } from './config.js';
import { channelFilter } from './filter.js';
import { CHAT_DEFAULT_EVENTS, eventText, permissionText, splitText, turnReply } from './format.js';
import { channelActor, explainForChat, roleRefusal } from './roles.js';
import { startSlackSocketMode } from './slack-socket.js';
import type { ChannelContext, ChannelProbe } from './types.js';

export { SLACK_TIMESTAMP_WINDOW_SEC, verifySlackSignature } from './slack-signature.js';
/** For `setup-checks.ts`, which loads this module on first use. */
export { WebClient };

const keys = {
  thread: (sessionId: string) => `thread:${sessionId}`,
  permission: (sessionId: string, requestId: string) => `perm:${sessionId}:${requestId}`,
  decided: (sessionId: string, requestId: string) => `decided:${sessionId}:${requestId}`,
};

const ACTIONS = { aegis_approve: 'approve', aegis_always: 'always', aegis_reject: 'reject' } as const;
type ActionId = keyof typeof ACTIONS;

function sendErrorOf(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e.code === ErrorCode.RateLimitedError) {
    return new ChannelSendError('Slack rate limit (429)', { retryAfterMs: (e.retryAfter ?? 30) * 1000 });
  }
  if (e.code === ErrorCode.PlatformError) {
    const retry = ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable'].includes(
      e.data?.error ?? '',
    );
    return new ChannelSendError(`Slack refused: ${e.data?.error}`, {
      permanent: !retry && e.data?.error !== 'invalid_auth',
    });
  }
  if (e.code === ErrorCode.HTTPError) return new ChannelSendError(`Slack answered HTTP ${e.statusCode}`);
  return new ChannelSendError(`Slack unreachable: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Slack: a message per event in the configured channel, one thread per session (the first message
 * starts it), permission requests with Block Kit buttons that are answered through the
 * interactivity endpoint.
 */
export function startSlack(config: SlackConfig, ctx: ChannelContext) {
  const client = new WebClient(config.token, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // The outbox retries (and honours Retry-After); the client itself must not.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
  });
  const probe: ChannelProbe = { ok: null, error: null, detail: null };
  const { outbox } = ctx;
  const now = () => new Date().toISOString();
  const accepts = channelFilter(
    config,
    CHAT_DEFAULT_EVENTS,
    (id) => ctx.store.getSession(id),
    async (id) => (await ctx.store.templates.get(id))?.name,
  );

  void client.auth
    .test()
    .then((r) => {
      probe.ok = true;
      probe.detail = `${r.team ?? ''} as ${r.user ?? ''}`.trim();
    })
    .catch((err) => {
      probe.ok = false;
      probe.error = sendErrorOf(err).message;
      ctx.logger.warn(`Slack channel: ${probe.error}. Aegis keeps serving; messages wait in the outbox.`, {});
    });

  async function post(sessionId: string, text: string, blocks?: unknown[]): Promise<string> {
    const thread = await outbox.getValue('slack', keys.thread(sessionId));
    const r = await client.chat.postMessage({
      channel: config.channel,
      text,
      ...(thread ? { thread_ts: thread } : {}),
      ...(blocks ? { blocks: blocks as never } : {}),
    });
    const ts = String(r.ts);
    if (!thread) await outbox.setValue('slack', keys.thread(sessionId), ts, now());
    return ts;
  }

  const permissionBlocks = (text: string, itemId: number) => [
    { type: 'section', text: { type: 'plain_text', text: text.slice(0, 2900) } },
    {
      type: 'actions',
      block_id: `aegis_permission_${itemId}`,
      elements: (Object.keys(ACTIONS) as ActionId[]).map((id) => ({
        type: 'button',
        action_id: id,
        value: String(itemId),
        text: {
          type: 'plain_text',
          text: id === 'aegis_approve' ? 'Approve' : id === 'aegis_always' ? 'Always' : 'Reject',
        },
        ...(id === 'aegis_approve' ? { style: 'primary' } : id === 'aegis_reject' ? { style: 'danger' } : {}),
      })),
    },
  ];

  async function send(item: OutboxItem): Promise<{ ref?: string | null }> {
    const event = item.event as AegisEvent;
    try {
      if (event.type === 'permission.requested') {
        const text = permissionText(event);
        const ts = await post(event.sessionId, text, permissionBlocks(text, item.id));
        await outbox.setValue('slack', keys.permission(event.sessionId, event.data.requestId), ts, now());
        return { ref: ts };
      }
      if (event.type === 'permission.resolved') {
        if (await outbox.getValue('slack', keys.decided(event.sessionId, event.data.requestId)))
          return { ref: null };
        const ts = await outbox.getValue('slack', keys.permission(event.sessionId, event.data.requestId));
        const text = eventText(event, { name: null, workDir: '' }) ?? '';
        if (ts) {
          await client.chat.update({ channel: config.channel, ts, text, blocks: [] });
          return { ref: ts };
        }
        return { ref: await post(event.sessionId, text) };
      }
      if (event.type === 'turn.completed') {
        const reply =
          (await turnReply(event, (q) => ctx.store.listEvents(q))) || '✅ Turn completed, no text reply.';
        let ts = '';
        for (const part of splitText(reply, 3500).slice(0, 5)) ts = await post(event.sessionId, part);
        return { ref: ts };
      }
      const session = await ctx.store.getSession(event.sessionId);
      const text = eventText(event, { name: session?.name ?? null, workDir: session?.workDir ?? '' });
      return text ? { ref: await post(event.sessionId, text) } : { ref: null };
    } catch (err) {
      throw err instanceof ChannelSendError ? err : sendErrorOf(err);
    }
  }

  /** Says why a click was refused, to the one user who clicked (an ephemeral message). */
  async function tellUser(payload: Record<string, unknown>, text: string): Promise<void> {
    const user = (payload.user as { id?: string } | undefined)?.id;
    if (!user) return;
    const thread = (payload.message as { thread_ts?: string } | undefined)?.thread_ts;
    await client.chat
      .postEphemeral({ channel: config.channel, user, text, ...(thread ? { thread_ts: thread } : {}) })
      .catch((err) =>
        ctx.logger.warn('could not tell a Slack user why a click was refused', { error: String(err) }),
      );
  }

  /** One verified interactivity payload (a button press). Returns what to log. */
  async function interact(payload: Record<string, unknown>): Promise<string> {
    const user = (payload.user as { id?: string; username?: string } | undefined) ?? {};
    const action = (payload.actions as { action_id?: string; value?: string }[] | undefined)?.[0];
    const audit = (outcome: string, target: string | null, details: Record<string, unknown> = {}) =>
      ctx.store.audit.append({
        at: now(),
        actorId: user.id ? `slack:${user.id}` : null,
        actorRole: config.role,
        action: `channels.slack.${action?.action_id ? (ACTIONS[action.action_id as ActionId] ?? 'unknown') : 'unknown'}`,
        target,
        outcome,
        details: { username: user.username ?? null, ...details },
      });
    if (payload.type !== 'block_actions' || !action?.action_id || !(action.action_id in ACTIONS))
      return 'ignored';
    if (config.allowedUserIds.length > 0 && !config.allowedUserIds.includes(user.id ?? '')) {
      await audit('refused', null, { reason: 'not in allowedUserIds' });
      return 'refused';
    }
    const actor = channelActor(`slack:${user.id}`, config.role);
    const refusal = roleRefusal('slack', config.role, ACTIONS[action.action_id as ActionId]);
    if (refusal) {
      await audit('refused', null, { reason: `role ${config.role}` });
      await tellUser(payload, refusal);
      return 'refused';
    }
    const item = await outbox.get(Number(action.value));
    const event = item?.channel === 'slack' ? item.event : undefined;
    if (event?.type !== 'permission.requested') return 'unknown';
    const code = ACTIONS[action.action_id as ActionId];
    let session: Awaited<ReturnType<typeof ctx.sessions.get>> | undefined;
    try {
      session = await ctx.sessions.get(event.sessionId, actor);
    } catch (err) {
      if (err instanceof AegisError && err.code === 'SESSION_NOT_FOUND' && !actor.admin) {
        await audit('refused', event.sessionId, { reason: `role ${config.role}` });
        await tellUser(payload, explainForChat(err, 'slack', actor));
        return 'refused';
      }
    }
    if (session?.pendingPermission?.requestId !== event.data.requestId) {
      await audit('stale', event.sessionId, { requestId: event.data.requestId });
      return 'stale';
    }
    try {
      await ctx.sessions.respondPermission(
        event.sessionId,
        { approve: code !== 'reject', scope: code === 'always' ? 'always' : 'once' },
        actor,
      );
    } catch (err) {
      await audit(err instanceof AegisError ? err.code : 'ERROR', event.sessionId);
      return 'failed';
    }
    await outbox.setValue(
      'slack',
      keys.decided(event.sessionId, event.data.requestId),
      user.id ?? '?',
      now(),
    );
    await audit('ok', event.sessionId, { requestId: event.data.requestId });
    const verdict =
      code === 'reject' ? '⛔ Rejected' : code === 'always' ? '✅ Approved (always)' : '✅ Approved';
    const ts =
      (payload.message as { ts?: string } | undefined)?.ts ??
      (await outbox.getValue('slack', keys.permission(event.sessionId, event.data.requestId)));
    if (ts) {
      await client.chat
        .update({
          channel: config.channel,
          ts,
          text: `${permissionText(event)}\n\n${verdict} by <@${user.id}>`,
          blocks: [],
        })
        .catch((err) =>
          ctx.logger.warn('could not update a Slack permission message', { error: String(err) }),
        );
    }
    return 'ok';
  }

  return {
    probe,
    channel: { name: 'slack', accepts, send },
    interact,
    async test() {
      const r = await client.chat.postMessage({
        channel: config.channel,
        text: '✅ Aegis test message: the Slack channel works.',
      });
      return `posted ${r.ts} to ${config.channel}`;
    },
    /** Socket Mode (with an `appToken`): the node that runs the channels takes the clicks. */
    run() {
      if (!config.appToken) return async () => {};
      return startSlackSocketMode({
        appToken: config.appToken,
        apiUrl: config.apiUrl,
        handle: interact,
        logger: ctx.logger,
      });
    },
    async close() {},
  };
}
