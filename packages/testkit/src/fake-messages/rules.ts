import path from 'node:path';
import { findTool, type TurnInfo } from './request-body.js';
import type { PlannedBlock, PlannedReply, ToolDef } from './types.js';

export {
  classifyRequest,
  currentTurn,
  findCwd,
  findTool,
  type MessagesRequestBody,
  stripReminders,
  systemText,
  type TurnInfo,
} from './request-body.js';

/**
 * The prompt rules of the fake Messages API, as data. The first matching rule wins (after an optional
 * `slow: N` prefix is stripped). `FAKE_MESSAGES_RULES` is what the README documents; `planReply` applies it.
 */
export const FAKE_MESSAGES_RULES = [
  {
    id: 'slow',
    pattern: /^\s*slow:\s*(\d+)\s*/i,
    example: 'slow: 300 say one two three',
    description:
      'Prefix. Waits N ms between streamed chunks (and before the first one), then applies the other rules to the rest of the prompt.',
  },
  {
    id: 'rate-limit',
    pattern: /trigger rate limit/i,
    example: 'trigger rate limit',
    description:
      'HTTP 429 with `retry-after` and `{"type":"error","error":{"type":"rate_limit_error",...}}` for every main-loop request.',
  },
  {
    id: 'overloaded',
    pattern: /trigger overloaded/i,
    example: 'trigger overloaded',
    description: 'HTTP 529 with `{"type":"error","error":{"type":"overloaded_error",...}}`.',
  },
  {
    id: 'write',
    pattern: /create a file named\s+[`"']?([^\s`"']+)[`"']?\s+containing\s+([\s\S]+)$/i,
    example: 'create a file named hello.txt containing Hello from Aegis',
    description:
      'A `Write` tool_use (tool name taken from the request) with an absolute `file_path` inside the session cwd; after its tool_result the text "Created X." (or "Could not create X: <error>" if the result is an error).',
  },
  {
    id: 'write-short',
    pattern: /^\s*write\s+([^\s:]+):\s?([\s\S]*)$/i,
    example: 'write notes.md: some text',
    description: 'Same as `write`.',
  },
  {
    id: 'bash',
    pattern: /\brun\s+`([^`]+)`/i,
    example: 'run `echo hi`',
    description:
      'A `Bash` tool_use with that command; after its tool_result the text "Ran `CMD`. Output: <output>" (or "The command `CMD` failed: <output>").',
  },
  {
    id: 'ask',
    pattern: /^\s*ask\s+([\s\S]+?)\s+options\s+([^\n]+)$/i,
    example: 'ask Which database? options Postgres|SQLite',
    description:
      'An `AskUserQuestion` tool_use (one question, header "Choice", the `|`-separated options); after its tool_result the text "Answer received: <result>".',
  },
  {
    id: 'say',
    pattern: /^\s*say\s+([\s\S]+)$/i,
    example: 'say hello there',
    description: 'Streams exactly X back as a few text_delta chunks.',
  },
  {
    id: 'default',
    pattern: /[\s\S]*/,
    example: 'anything else',
    description: 'Streams "Hello from the local stand-in. You said: <prompt>" as a few text_delta chunks.',
  },
] as const satisfies ReadonlyArray<{ id: string; pattern: RegExp; example: string; description: string }>;

export type FakeRuleId = (typeof FAKE_MESSAGES_RULES)[number]['id'];

export const DEFAULT_REPLY_PREFIX = 'Hello from the local stand-in. You said: ';

function rule(id: FakeRuleId): RegExp {
  const found = FAKE_MESSAGES_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`unknown rule ${id}`);
  return found.pattern;
}

// ---------------------------------------------------------------------------------------------
// Planning replies
// ---------------------------------------------------------------------------------------------

export interface PlanContext {
  tools: ToolDef[] | undefined;
  /** The session cwd found in the request, if any. */
  cwd: string | undefined;
  /** Delay between chunks when no `slow:` prefix is given. */
  defaultChunkDelayMs?: number;
  /** Makes tool_use ids; default `toolu_fake_<n>`. */
  newToolUseId?: () => string;
}

let idCounter = 0;
function defaultToolUseId(): string {
  idCounter += 1;
  return `toolu_fake_${Date.now().toString(36)}_${idCounter}`;
}

function textReply(rule: string, text: string, chunkDelayMs: number): PlannedReply {
  return { type: 'message', rule, blocks: [{ type: 'text', text }], stopReason: 'end_turn', chunkDelayMs };
}

function oneLine(text: string, max = 400): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/**
 * Decides the fake model's answer for the main loop from the prompt of the current turn and the tool
 * results that came back so far. Pure apart from tool_use id generation.
 */
export function planReply(turn: Pick<TurnInfo, 'prompt' | 'toolResults'>, ctx: PlanContext): PlannedReply {
  let prompt = turn.prompt;
  let chunkDelayMs = ctx.defaultChunkDelayMs ?? 0;
  const slow = rule('slow').exec(prompt);
  if (slow) {
    chunkDelayMs = Number(slow[1]);
    prompt = prompt.slice(slow[0].length);
  }
  const newId = ctx.newToolUseId ?? defaultToolUseId;
  const results = turn.toolResults;
  const lastResult = results[results.length - 1];

  if (rule('rate-limit').test(prompt)) {
    return {
      type: 'error',
      rule: 'rate-limit',
      status: 429,
      errorType: 'rate_limit_error',
      message: 'Number of requests has exceeded your rate limit (fake Messages API trigger).',
    };
  }
  if (rule('overloaded').test(prompt)) {
    return {
      type: 'error',
      rule: 'overloaded',
      status: 529,
      errorType: 'overloaded_error',
      message: 'Overloaded (fake Messages API trigger).',
    };
  }

  const write = rule('write').exec(prompt) ?? rule('write-short').exec(prompt);
  if (write) {
    const ruleId = rule('write').test(prompt) ? 'write' : 'write-short';
    const name = write[1] as string;
    const content = write[2] as string;
    if (lastResult) {
      return textReply(
        ruleId,
        lastResult.isError ? `Could not create ${name}: ${oneLine(lastResult.text)}` : `Created ${name}.`,
        chunkDelayMs,
      );
    }
    const tool = findTool(ctx.tools, 'Write');
    if (!tool)
      return textReply(ruleId, `No Write tool was offered, so ${name} was not created.`, chunkDelayMs);
    const filePath = path.isAbsolute(name) ? name : path.join(ctx.cwd ?? process.cwd(), name);
    const blocks: PlannedBlock[] = [
      { type: 'text', text: `I'll create ${name}.` },
      { type: 'tool_use', id: newId(), name: tool, input: { file_path: filePath, content } },
    ];
    return { type: 'message', rule: ruleId, blocks, stopReason: 'tool_use', chunkDelayMs };
  }

  const bash = rule('bash').exec(prompt);
  if (bash) {
    const command = bash[1] as string;
    if (lastResult) {
      return textReply(
        'bash',
        lastResult.isError
          ? `The command \`${command}\` failed: ${oneLine(lastResult.text)}`
          : `Ran \`${command}\`. Output: ${oneLine(lastResult.text)}`,
        chunkDelayMs,
      );
    }
    const tool = findTool(ctx.tools, 'Bash');
    if (!tool)
      return textReply('bash', `No Bash tool was offered, so \`${command}\` was not run.`, chunkDelayMs);
    const blocks: PlannedBlock[] = [
      { type: 'text', text: `Running \`${command}\`.` },
      {
        type: 'tool_use',
        id: newId(),
        name: tool,
        input: { command, description: `Run ${command}`.slice(0, 80) },
      },
    ];
    return { type: 'message', rule: 'bash', blocks, stopReason: 'tool_use', chunkDelayMs };
  }

  const ask = rule('ask').exec(prompt);
  if (ask) {
    if (lastResult) return textReply('ask', `Answer received: ${oneLine(lastResult.text)}`, chunkDelayMs);
    const tool = findTool(ctx.tools, 'AskUserQuestion');
    if (!tool) return textReply('ask', 'No AskUserQuestion tool was offered.', chunkDelayMs);
    const options = (ask[2] as string).split('|').map((label) => ({
      label: label.trim(),
      description: `Use ${label.trim()}`,
    }));
    const blocks: PlannedBlock[] = [
      {
        type: 'tool_use',
        id: newId(),
        name: tool,
        input: {
          questions: [{ question: (ask[1] as string).trim(), header: 'Choice', options, multiSelect: false }],
        },
      },
    ];
    return { type: 'message', rule: 'ask', blocks, stopReason: 'tool_use', chunkDelayMs };
  }

  const say = rule('say').exec(prompt);
  if (say) return textReply('say', (say[1] as string).trim(), chunkDelayMs);
  return textReply('default', `${DEFAULT_REPLY_PREFIX}${prompt.trim()}`, chunkDelayMs);
}

/** Splits text into a few chunks (at word boundaries) for streaming as separate text_deltas. */
export function chunkText(text: string, maxChunks = 4): string[] {
  const words = text.split(/(?<=\s)/);
  if (words.length <= 1) return [text];
  const per = Math.ceil(words.length / maxChunks);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += per) chunks.push(words.slice(i, i + per).join(''));
  return chunks;
}

/** Splits a JSON string into a few pieces for input_json_delta events. */
export function chunkJson(json: string, pieces = 3): string[] {
  if (json.length < pieces * 2) return [json];
  const size = Math.ceil(json.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}
