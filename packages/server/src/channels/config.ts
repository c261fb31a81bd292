import { EVENT_TYPES } from '@aegis/core';
import { z } from 'zod';

/** Which sessions a channel follows; every list given must match (globs: `*`, `**`, `?`). */
const SessionFilter = z.object({
  /** Owner ids (API key ids; `local` for the unauthenticated local user). */
  owners: z.array(z.string().min(1)).optional(),
  /** Session names (a template's sessions carry its name), globs. */
  names: z.array(z.string().min(1)).optional(),
  /** Working directories, globs, e.g. `/srv/repos/**`. */
  workDirs: z.array(z.string().min(1)).optional(),
  /**
   * Templates the session was made from: a template's id or its name, globs (`code-reviewer`,
   * `ci-*`). A session made from no template never matches.
   */
  templates: z.array(z.string().min(1)).optional(),
});

const EventKind = z.enum(EVENT_TYPES, {
  error: `must be an event type (${EVENT_TYPES.slice(0, 4).join(', ')}, …; see docs/channels.md)`,
});

/**
 * The role chat users act with (as an API key of that role would): `operator` drives the sessions
 * it started from the chat, `admin` every session, `viewer` only reads (`/status`).
 */
export const ChannelRole = z.enum(['admin', 'operator', 'viewer'], {
  error: 'must be admin, operator or viewer (the role chat users act with; see docs/channels.md)',
});
export type ChannelRole = z.infer<typeof ChannelRole>;

const filterFields = {
  /** Event kinds to send; default: the channel's own set (see docs/channels.md). */
  events: z.array(EventKind).optional(),
  sessions: SessionFilter.optional(),
};

export const TelegramConfig = z
  .object({
    /** The bot token from @BotFather (`AEGIS_TG_TOKEN`). */
    token: z.string().min(1, 'is empty: set it to the bot token from @BotFather'),
    /** The forum supergroup's chat id, e.g. -1001234567890 (`AEGIS_TG_GROUP`). */
    group: z.coerce
      .number({ error: 'must be the group chat id, a negative number like -1001234567890' })
      .int(),
    /** Telegram user ids that may act (`AEGIS_TG_ALLOWED_USERS`, comma-separated). */
    allowedUserIds: z.array(z.coerce.number().int()).default([]),
    /** The role allowlisted users act with (`AEGIS_TG_ROLE`; default `operator`). */
    role: ChannelRole.default('operator'),
    /** The Bot API root (`AEGIS_TG_API_ROOT`); default the official one. */
    apiRoot: z.url({ error: 'must be an http(s) URL' }).optional(),
    /** `polling` (default, no public URL needed) or `webhook` (Telegram calls POST /v1/channels/telegram/webhook). */
    mode: z.enum(['polling', 'webhook']).default('polling'),
    /** Webhook mode: the `X-Telegram-Bot-Api-Secret-Token` Telegram must send. */
    webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Replies longer than this are sent as a `.md` file. Default 3500 (a message holds 4096). */
    maxMessageChars: z.number().int().min(200).max(4096).default(3500),
    ...filterFields,
  })
  .refine((t) => t.mode !== 'webhook' || !!t.webhookSecret, {
    path: ['webhookSecret'],
    message:
      'is required in webhook mode: a random string of 16+ characters, given to Telegram as setWebhook secret_token',
  });

export const SlackConfig = z.object({
  /** A bot token (`xoxb-…`) with chat:write. */
  token: z.string().min(1),
  /** The channel id to post to (e.g. C0123456789). */
  channel: z.string().min(1),
  /**
   * Socket Mode: an app-level token (`xapp-…`, scope `connections:write`). Given, clicks arrive
   * over a websocket Aegis opens; no public URL is needed.
   */
  appToken: z
    .string()
    .startsWith('xapp-', 'must be an app-level token (xapp-…), from Basic Information → App-Level Tokens')
    .optional(),
  /** Verifies interactivity requests (POST /v1/channels/slack/interactivity). */
  signingSecret: z.string().min(1).optional(),
  /** The Web API base URL; default Slack's own. */
  apiUrl: z.url().optional(),
  /** Slack user ids that may press buttons; empty: anyone in the channel. */
  allowedUserIds: z.array(z.string()).default([]),
  /** The role users pressing buttons act with (default `operator`). */
  role: ChannelRole.default('operator'),
  ...filterFields,
});

export const EmailConfig = z.object({
  smtp: z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535).default(587),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().optional(),
    pass: z.string().optional(),
  }),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1, 'needs at least one address'),
  /** Mail when a permission has waited this long (minutes); 0 = never. Default 10. */
  permissionWaitMinutes: z.number().min(0).default(10),
  /** Mail on failed turns and crashed sessions. Default true. */
  failures: z.boolean().default(true),
  /** Mail on completed turns. Default false. */
  completions: z.boolean().default(false),
  /** Collect mails and send one digest every N minutes; 0 = send each at once. */
  digestMinutes: z.number().min(0).default(0),
  ...filterFields,
});

export const ChannelsConfig = z.object({
  telegram: TelegramConfig.optional(),
  slack: SlackConfig.optional(),
  email: EmailConfig.optional(),
});
export type ChannelsConfig = z.infer<typeof ChannelsConfig>;
export type TelegramConfig = z.infer<typeof TelegramConfig>;
export type SlackConfig = z.infer<typeof SlackConfig>;
export type EmailConfig = z.infer<typeof EmailConfig>;
export type ChannelFilterConfig = {
  events?: string[] | undefined;
  sessions?: z.infer<typeof SessionFilter> | undefined;
};

/** Channel names, in the order `GET /v1/channels` lists them. */
export const CHANNEL_NAMES = ['telegram', 'slack', 'email'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/**
 * Merges channel settings per channel and per field (later layers win), so `AEGIS_TG_TOKEN` in the
 * environment does not drop a `channels.telegram.allowedUserIds` from the config file.
 */
export function mergeChannels(...layers: unknown[]): Record<string, unknown> | undefined {
  const out: Record<string, Record<string, unknown>> = {};
  let any = false;
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    any = true;
    for (const [name, value] of Object.entries(layer)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) out[name] = { ...out[name], ...value };
      else out[name] = value as Record<string, unknown>;
    }
  }
  return any ? out : undefined;
}
