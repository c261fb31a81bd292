import type { Actor } from '@aegis/core';
import { AegisError } from '@aegis/core';
import type { ChannelRole } from './config.js';

/** A chat user as the engine sees them: `<channel>:<user id>` with the channel's configured role. */
export function channelActor(id: string, role: ChannelRole): Actor {
  return { id, role, admin: role === 'admin' };
}

/** What a viewer may still do from a chat: read. */
const READ_ONLY = new Set(['status', 'help', 'start']);

/**
 * Why `role` may not do `action` from the chat (`channel` is `telegram` or `slack`), or `null`
 * when it may. Only viewers are refused here; the engine scopes operators to their own sessions.
 */
export function roleRefusal(channel: string, role: ChannelRole, action: string): string | null {
  if (role !== 'viewer' || READ_ONLY.has(action)) return null;
  return `Sorry, you may not ${action} here: ${channel} users act as viewers (channels.${channel}.role: viewer), who may only read${channel === 'telegram' ? ' (/status)' : ''}. An administrator can set channels.${channel}.role to operator or admin.`;
}

/**
 * An error said to a chat user. A session the user's role cannot see (an operator acting on a
 * session someone else started) gets a hint on what to change.
 */
export function explainForChat(err: unknown, channel: string, actor: Actor): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof AegisError && err.code === 'SESSION_NOT_FOUND' && !actor.admin) {
    return `${message} ${actor.id} acts as ${actor.role} (channels.${channel}.role) and may only act on the sessions it started from the chat; an administrator can set channels.${channel}.role: admin to let chat users act on every session.`;
  }
  return message;
}
