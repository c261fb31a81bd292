import type { Aegis, AegisStore, ChannelOutboxStore } from '@aegis/core';
import type { Logger } from '../logger.js';
import type { ChatSessions } from './chat-sessions.js';

/** What every channel gets from the server. */
export interface ChannelContext {
  aegis: Aegis;
  store: AegisStore;
  outbox: ChannelOutboxStore;
  logger: Logger;
  /** What chat users do to sessions: the engine, or on a cluster the node that owns the session. */
  sessions: ChatSessions;
}

/** A channel's own view of its health, beside the outbox's. */
export interface ChannelProbe {
  /** Whether the channel's credentials work (e.g. Telegram getMe); null when never checked. */
  ok: boolean | null;
  /** What the last check or inbound connection said went wrong. */
  error: string | null;
  /** E.g. the bot's @username. */
  detail: string | null;
}
