import type { RequestKind, ToolDef } from './types.js';

/** Reading the Messages API request bodies Claude Code sends: the current turn, its cwd, its tools, its kind. */
interface ContentBlock {
  type: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
  [key: string]: unknown;
}
interface Message {
  role: string;
  /** A string or an array of content blocks (left loose: this is parsed JSON). */
  content: unknown;
}

export interface MessagesRequestBody {
  model?: string;
  stream?: boolean;
  system?: unknown;
  messages?: Message[];
  tools?: ToolDef[];
  [key: string]: unknown;
}

function blocksOf(content: unknown): ContentBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.filter((b): b is ContentBlock => typeof b === 'object' && b !== null && 'type' in b);
}

/** Removes `<system-reminder>…</system-reminder>` sections Claude Code injects into user messages. */
export function stripReminders(text: string): string {
  return text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '').trim();
}

/** Plain text of a system prompt (string or text blocks). */
export function systemText(body: MessagesRequestBody): string {
  return blocksOf(body.system)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('\n');
}

/**
 * Prompt text of one user message: its LAST text block that is not only a `<system-reminder>`. Claude
 * Code merges consecutive user messages, e.g. after a failed turn the next prompt becomes another text
 * block of the same message, so the last block is the newest prompt.
 */
function userText(message: Message): string {
  const texts = blocksOf(message.content)
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => stripReminders(b.text as string))
    .filter((t) => t.length > 0);
  return texts[texts.length - 1] ?? '';
}

function toolResultText(block: ContentBlock): string {
  const c = block.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    return c
      .map((x) => (x && typeof x === 'object' && typeof (x as ContentBlock).text === 'string' ? x.text : ''))
      .join('\n');
  }
  return '';
}

export interface TurnInfo {
  /** The prompt text of the current turn (reminders stripped). */
  prompt: string;
  /** Index of the user message that carries the prompt. */
  promptIndex: number;
  /** Tool results that came back after the prompt, in order. */
  toolResults: Array<{ text: string; isError: boolean }>;
}

/**
 * Finds the prompt of the current turn: the LAST user message that carries real text (not only
 * tool_result blocks or `<system-reminder>`s). In a one-prompt conversation that is the first user
 * message, i.e. the prompt Aegis sent. Also collects the tool results that came back after it.
 */
export function currentTurn(body: MessagesRequestBody): TurnInfo {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let promptIndex = -1;
  let prompt = '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    const text = userText(m);
    if (text.length > 0) {
      promptIndex = i;
      prompt = text;
      break;
    }
  }
  const toolResults: TurnInfo['toolResults'] = [];
  for (let i = Math.max(promptIndex, 0); i < messages.length; i++) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    for (const b of blocksOf(m.content)) {
      if (b.type === 'tool_result')
        toolResults.push({ text: toolResultText(b), isError: b.is_error === true });
    }
  }
  return { prompt, promptIndex, toolResults };
}

/** The last user message's raw text (reminders NOT stripped), used to spot side requests. */
function lastUserRawText(body: MessagesRequestBody): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === 'user') {
      return blocksOf(m.content)
        .filter((b) => b.type === 'text' && typeof b.text === 'string')
        .map((b) => b.text as string)
        .join('\n');
    }
  }
  return '';
}

/**
 * Finds the session working directory in what Claude Code sends: the `Working directory: /abs`
 * line of its environment info (system prompt, or a user-message reminder in some versions).
 */
export function findCwd(body: MessagesRequestBody): string | undefined {
  const re = /(?:Primary working directory|Working directory|cwd):\s*(\/[^\n<]*)/i;
  const fromSystem = re.exec(systemText(body));
  if (fromSystem?.[1]) return fromSystem[1].trim();
  for (const m of body.messages ?? []) {
    for (const b of blocksOf(m.content)) {
      if (typeof b.text === 'string') {
        const hit = re.exec(b.text);
        if (hit?.[1]) return hit[1].trim();
      }
    }
  }
  return undefined;
}

/** Picks a tool from the request's own list: exact name, then case-insensitive, then a name containing it. */
export function findTool(tools: ToolDef[] | undefined, wanted: string): string | undefined {
  const names = (tools ?? []).map((t) => t?.name).filter((n): n is string => typeof n === 'string');
  const lower = wanted.toLowerCase();
  return (
    names.find((n) => n === wanted) ??
    names.find((n) => n.toLowerCase() === lower) ??
    names.find((n) => n.toLowerCase().includes(lower))
  );
}

/** Classifies a `/v1/messages` request body. */
export function classifyRequest(pathname: string, body: MessagesRequestBody | undefined): RequestKind {
  if (pathname.endsWith('/count_tokens')) return 'count_tokens';
  if (!/\/v1\/messages\/?$/.test(pathname) || !body) return 'other';
  const last = lastUserRawText(body).trimStart();
  if (last.startsWith('[SUGGESTION MODE')) return 'suggestion';
  const system = systemText(body);
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (!hasTools && /<severity>|\bseverity\b|security monitor|classifier/i.test(system + '\n' + last)) {
    return 'classifier';
  }
  const formatText = JSON.stringify(body.output_format ?? body.output_config ?? '');
  if (!hasTools && (/title/i.test(formatText) || /\btitle\b/i.test(system))) return 'title';
  if (hasTools) return 'main';
  return 'other';
}
