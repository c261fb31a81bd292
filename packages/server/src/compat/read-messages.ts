import type { SessionStatus, TranscriptEntry } from '@aegis/core';

/** A transcript entry in the shape the earlier Aegis documents give `/read`: `{ role, contentType, text, timestamp }`. */
export interface DocumentedMessage {
  role: 'user' | 'assistant' | 'system';
  contentType: 'text' | 'thinking' | 'tool_use' | 'permission_request' | 'plan';
  text: string;
  timestamp: string;
}

const SHAPES: Record<TranscriptEntry['role'], Pick<DocumentedMessage, 'role' | 'contentType'>> = {
  user: { role: 'user', contentType: 'text' },
  assistant: { role: 'assistant', contentType: 'text' },
  thought: { role: 'assistant', contentType: 'thinking' },
  tool: { role: 'assistant', contentType: 'tool_use' },
  permission: { role: 'system', contentType: 'permission_request' },
  plan: { role: 'assistant', contentType: 'plan' },
  system: { role: 'system', contentType: 'text' },
};

/** The documented message for one of our entries; a tool or permission entry without text gets its title. */
export function documentedMessage(entry: TranscriptEntry): DocumentedMessage {
  const text = entry.text || entry.tool?.title || entry.permission?.title || '';
  return { ...SHAPES[entry.role], text, timestamp: entry.at };
}

/** The documented `statusText`: the state in words, with what to do next. */
export const STATUS_TEXT: Readonly<Record<SessionStatus, string>> = Object.freeze({
  pending: 'Starting the agent; wait a moment and poll again',
  idle: 'Waiting for input; send a prompt with /send',
  working: 'Working on the prompt; wait or poll /read',
  permission_prompt: 'Waiting for a permission answer; /approve or /reject',
  asking: 'The agent asked a question; answer with /answer',
  stalled: 'Working but silent for a while; nudge with /send or /interrupt',
  rate_limit: 'Rate-limited by the model provider; it retries, wait',
  error: 'The last turn failed; read the transcript, then /send again',
  completed: 'Ended normally (kept for audit)',
  killed: 'Stopped through the API (kept for audit)',
  crashed: 'The agent process died (kept for audit); see /health and /v1/diagnostics',
});
