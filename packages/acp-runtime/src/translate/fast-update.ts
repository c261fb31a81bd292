import type * as acp from '@agentclientprotocol/sdk';
import { TOOL_KINDS } from './tool-fields.js';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOOL_STATUSES = new Set<unknown>(['pending', 'in_progress', 'completed', 'failed']);
const isUint32 = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4294967295;

/** `value` is absent, or (when `nullable`) null, or passes `check`. */
const optional = (value: unknown, nullable: boolean, check: (v: unknown) => boolean) =>
  value === undefined || (value === null ? nullable : check(value));

/** Tool call content the translator reads: diffs, terminals and text content blocks. */
function cleanToolContent(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (const c of list) {
    if (!isObject(c)) return false;
    if (c.type === 'diff') {
      if (typeof c.path !== 'string' || typeof c.newText !== 'string') return false;
      if (!optional(c.oldText, true, (v) => typeof v === 'string')) return false;
    } else if (c.type === 'terminal') {
      if (typeof c.terminalId !== 'string') return false;
    } else if (c.type === 'content') {
      if (!isObject(c.content) || c.content.type !== 'text' || typeof c.content.text !== 'string')
        return false;
    } else return false;
  }
  return true;
}
const cleanLocations = (list: unknown) =>
  Array.isArray(list) &&
  list.every((l) => isObject(l) && typeof l.path === 'string' && optional(l.line, true, isUint32));

/** A `tool_call` / `tool_call_update` whose every field the translator reads is well-formed. */
function cleanToolCall(u: Loose): boolean {
  // The SDK turns nulls in a tool_call into defaults (content: []), so only updates may carry them.
  const nullable = u.sessionUpdate === 'tool_call_update';
  if (typeof u.toolCallId !== 'string') return false;
  if (nullable ? !optional(u.title, true, (v) => typeof v === 'string') : typeof u.title !== 'string')
    return false;
  return (
    optional(u.kind, nullable, (v) => typeof v === 'string' && TOOL_KINDS.has(v)) &&
    optional(u.status, nullable, (v) => TOOL_STATUSES.has(v)) &&
    optional(u.content, nullable, cleanToolContent) &&
    optional(u.locations, nullable, cleanLocations)
  );
}

/**
 * The hot messages of a turn: `session/update` notifications carrying a text chunk or a tool call
 * (start or update). Checks by hand every field {@link AcpTranslator.translate} reads, so such a
 * message can skip the SDK's schema validation and per-message dispatch; anything else, or anything
 * the SDK would have to repair or drop, returns null and goes through the SDK, validated.
 */
export function fastUpdate(message: Loose): acp.SessionUpdate | null {
  if (message.method !== 'session/update' || 'id' in message || message.jsonrpc !== '2.0') return null;
  const params = message.params;
  if (!isObject(params) || typeof params.sessionId !== 'string') return null;
  const update = params.update;
  if (!isObject(update)) return null;
  switch (update.sessionUpdate) {
    case 'agent_message_chunk':
    case 'agent_thought_chunk': {
      const content = update.content;
      if (!isObject(content) || content.type !== 'text' || typeof content.text !== 'string') return null;
      if (update.messageId != null && typeof update.messageId !== 'string') return null;
      return update as unknown as acp.SessionUpdate;
    }
    case 'tool_call':
    case 'tool_call_update':
      return cleanToolCall(update) ? (update as unknown as acp.SessionUpdate) : null;
    default:
      return null;
  }
}
