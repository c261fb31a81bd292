import type { AegisStore } from './store.js';
import type { TranscriptEntry } from './transcript.js';

/** At most this many of the newest transcript entries are replayed into a fresh agent session. */
export const REPLAY_MAX_ENTRIES = 200;
/** …and at most this many characters of them (older entries are left out first). */
export const REPLAY_MAX_CHARS = 60_000;

export interface ReplaySeed {
  /** What is put before the next prompt the fresh agent session receives. */
  text: string;
  entries: number;
  chars: number;
  /** Older entries were left out to stay within the bounds. */
  truncated: boolean;
}

function line(e: TranscriptEntry): string | null {
  switch (e.role) {
    case 'user':
      return `User: ${e.text}`;
    case 'assistant':
      return `Assistant: ${e.text}`;
    case 'tool':
      return `Tool call: ${e.text}${e.tool ? ` (${e.tool.status})` : ''}`;
    case 'permission':
      return `Permission asked: ${e.text} → ${e.permission?.optionKind ?? e.permission?.outcome ?? 'answered'}`;
    case 'system':
      return `Note: ${e.text}`;
    default:
      return null; // thoughts and plans are the agent's own working state
  }
}

/**
 * A bounded rendering of a session's transcript for an agent that cannot reopen its own
 * conversation: the newest {@link REPLAY_MAX_ENTRIES} entries within {@link REPLAY_MAX_CHARS}
 * characters, oldest first. `null` when nothing was said yet.
 */
export async function renderReplay(store: AegisStore, sessionId: string): Promise<ReplaySeed | null> {
  const newestFirst = await store.listTranscript({
    sessionId,
    before: Number.MAX_SAFE_INTEGER,
    limit: REPLAY_MAX_ENTRIES + 1,
  });
  let truncated = newestFirst.length > REPLAY_MAX_ENTRIES;
  const lines: string[] = [];
  let chars = 0;
  for (const entry of newestFirst.slice(0, REPLAY_MAX_ENTRIES)) {
    const text = line(entry);
    if (text === null) continue;
    if (chars + text.length + 1 > REPLAY_MAX_CHARS) {
      truncated = true;
      break;
    }
    lines.push(text);
    chars += text.length + 1;
  }
  if (!lines.some((l) => l.startsWith('User: ') || l.startsWith('Assistant: '))) return null;
  lines.reverse();
  const body = lines.join('\n');
  return {
    text:
      `[Aegis: this conversation was restored into a new agent session. The earlier one could not be reopened, so here is its transcript so far${truncated ? ` (the newest ${lines.length} entries; older ones were left out)` : ''}. Treat it as what was said before; do not redo what it reports as done.]\n` +
      `<earlier-conversation>\n${body}\n</earlier-conversation>\n\n`,
    entries: lines.length,
    chars: body.length,
    truncated,
  };
}
