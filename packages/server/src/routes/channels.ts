import { timingSafeEqual } from 'node:crypto';
import { AegisError } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter } from '../app-env.js';
import { CHANNEL_NAMES } from '../channels/config.js';
import type { ChannelsService } from '../channels/service.js';
import { verifySlackSignature } from '../channels/slack-signature.js';
import { errorResponse, errorResponses } from '../http-errors.js';

const OutboxStats = z
  .object({
    pending: z.number().int(),
    sending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    unconfirmed: z
      .number()
      .int()
      .describe(
        'Sends a crash interrupted: not sent again, since the channel cannot say whether they arrived',
      ),
    oldestPendingAt: z.string().nullable(),
  })
  .meta({ id: 'ChannelOutboxStats' });

const Channel = z
  .object({
    name: z.enum(CHANNEL_NAMES),
    configured: z.boolean(),
    state: z
      .enum(['disabled', 'starting', 'ok', 'retrying', 'error', 'stopped'])
      .describe(
        '`retrying`: sends fail and are retried with backoff; `error`: the channel cannot work (e.g. its token was refused)',
      ),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastSentAt: z.string().nullable(),
    pausedUntil: z.string().nullable().describe('Paused by a rate limit of the channel until then'),
    queueDepth: z.number().int().describe('Messages waiting to be sent'),
    outbox: z.union([OutboxStats, z.null()]),
    detail: z.string().nullable().describe("What the channel's own check found, e.g. the bot's @name"),
    runner: z
      .string()
      .nullable()
      .describe(
        'On a cluster: the node that polls Telegram and delivers the outbox now (one at a time); null when not a cluster',
      ),
  })
  .meta({ id: 'Channel' });

const ChannelList = z.object({ channels: z.array(Channel) }).meta({ id: 'ChannelList' });
const ChannelTestResult = z
  .object({ delivered: z.boolean(), detail: z.string() })
  .meta({ id: 'ChannelTestResult' });

const listChannelsRoute = createRoute({
  method: 'get',
  path: '/v1/channels',
  operationId: 'listChannels',
  summary: 'Notification channels and their health',
  description:
    'Telegram, Slack and email: whether each is configured, its state, the last error, and its outbox (messages waiting, sent, failed, unconfirmed). See docs/channels.md.',
  tags: ['Channels'],
  responses: {
    200: { description: 'Channels', content: { 'application/json': { schema: ChannelList } } },
    ...errorResponses(401, 403),
  },
});

const testChannelRoute = createRoute({
  method: 'post',
  path: '/v1/channels/{name}/test',
  operationId: 'testChannel',
  summary: 'Send a test message through a channel',
  description:
    'Sends one message now (not through the outbox) and says whether it was delivered. 404 `CHANNEL_NOT_FOUND` for an unknown name, 409 `CHANNEL_NOT_CONFIGURED` for a channel that is not set up.',
  tags: ['Channels'],
  request: { params: z.object({ name: z.string().min(1).max(40) }) },
  responses: {
    200: { description: 'What happened', content: { 'application/json': { schema: ChannelTestResult } } },
    ...errorResponses(401, 403, 404, 409),
  },
});

const telegramWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/channels/telegram/webhook',
  operationId: 'telegramWebhook',
  summary: 'Telegram updates (webhook mode)',
  description:
    'Where Telegram posts updates when `channels.telegram.mode` is `webhook`. Public, but every request must carry the configured secret in `X-Telegram-Bot-Api-Secret-Token` (401 otherwise).',
  tags: ['Channels'],
  responses: {
    200: { description: 'Taken', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } },
    ...errorResponses(400, 401, 409),
  },
});

const slackInteractivityRoute = createRoute({
  method: 'post',
  path: '/v1/channels/slack/interactivity',
  operationId: 'slackInteractivity',
  summary: 'Slack button presses (interactivity)',
  description:
    "The Request URL of the Slack app's interactivity. Public, but every request must carry Slack's signature (`X-Slack-Signature`, HMAC-SHA256 with the app's signing secret) and a timestamp (`X-Slack-Request-Timestamp`) within 5 minutes: anything else is 401.",
  tags: ['Channels'],
  responses: {
    200: { description: 'Taken', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } },
    ...errorResponses(400, 401, 409),
  },
});

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `/v1/channels`: health, test messages, and the callbacks channels receive. */
export function channelRoutes(
  channels: ChannelsService | undefined,
  secrets: { telegramWebhook?: string | undefined; slackSigning?: string | undefined } = {},
) {
  const webhookSecret = secrets.telegramWebhook;
  const app = newRouter();
  app.openapi(listChannelsRoute, async (c) => {
    const list = channels ? await channels.list() : [];
    return c.json({ channels: list }, 200);
  });
  app.openapi(testChannelRoute, async (c) => {
    const { name } = c.req.valid('param');
    if (!channels) {
      throw new AegisError(
        'CHANNEL_NOT_CONFIGURED',
        `The ${name} channel is not configured; see docs/channels.md.`,
      );
    }
    return c.json(await channels.test(name), 200);
  });
  app.openapi(telegramWebhookRoute, async (c) => {
    const telegram = channels?.running('telegram');
    if (!telegram?.handleUpdate || !webhookSecret) {
      throw new AegisError(
        'CHANNEL_NOT_CONFIGURED',
        'Telegram webhook mode is not configured (channels.telegram.mode: webhook with a webhookSecret).',
      );
    }
    const presented = c.req.header('x-telegram-bot-api-secret-token') ?? '';
    if (!same(presented, webhookSecret)) {
      return errorResponse(
        c,
        new AegisError('UNAUTHORIZED', 'The Telegram secret token is missing or wrong.'),
      ) as never;
    }
    let update: unknown;
    try {
      update = await c.req.json();
    } catch {
      throw new AegisError('BAD_REQUEST', 'The body is not a JSON Telegram update.');
    }
    if (
      !update ||
      typeof update !== 'object' ||
      typeof (update as { update_id?: unknown }).update_id !== 'number'
    ) {
      throw new AegisError('BAD_REQUEST', 'The body is not a Telegram update (no numeric update_id).');
    }
    await telegram.handleUpdate(update);
    return c.json({ ok: true }, 200);
  });
  app.openapi(slackInteractivityRoute, async (c) => {
    const slack = channels?.running('slack');
    if (!slack?.interact || !secrets.slackSigning) {
      throw new AegisError(
        'CHANNEL_NOT_CONFIGURED',
        'Slack interactivity is not configured (channels.slack with a signingSecret).',
      );
    }
    const body = await c.req.text();
    verifySlackSignature(
      secrets.slackSigning,
      { timestamp: c.req.header('x-slack-request-timestamp'), signature: c.req.header('x-slack-signature') },
      body,
    );
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '');
    } catch {
      throw new AegisError(
        'BAD_REQUEST',
        'The body has no JSON `payload` field (Slack sends payload=<json>).',
      );
    }
    await slack.interact(payload);
    return c.json({ ok: true }, 200);
  });
  return app;
}
