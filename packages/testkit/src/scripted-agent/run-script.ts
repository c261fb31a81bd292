import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type * as acp from '@agentclientprotocol/sdk';
import { type AgentContext, methods, RequestError } from '@agentclientprotocol/sdk';
import type { ScriptStep, ScriptToolStep } from './steps.js';

/** One session of the scripted agent, as its turns see it. */
export interface ScriptedSession {
  id: string;
  cwd: string;
  mode: string;
  model: string;
  turn: AbortController | null;
  /** What was said so far; kept in `sessionDir` (when set) so another process can load it. */
  history: { role: 'user' | 'agent'; text: string }[];
}

export interface TurnContext {
  session: ScriptedSession;
  client: AgentContext;
  /** Aborts on `session/cancel`. */
  signal: AbortSignal;
  /** The session's prompts before this one (after a `session/load`, those of the earlier process too). */
  earlierPrompts: string[];
  notify(update: acp.SessionUpdate): Promise<void>;
  /** Tokens the `tokens` steps reported so far (the prompt response's `usage`). */
  tokens?: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

type Stop = acp.StopReason;
const PERMISSION_OPTIONS: acp.PermissionOption[] = [
  { optionId: 'allow-once', name: 'Allow', kind: 'allow_once' },
  { optionId: 'allow-always', name: 'Always allow in this session', kind: 'allow_always' },
  { optionId: 'reject', name: 'Reject', kind: 'reject_once' },
];
const EDIT_KINDS = new Set(['edit', 'delete', 'move']);
let toolCounter = 0;

/** Resolves after `ms`, or early (with `false`) when the turn is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((done) => {
    if (signal.aborted) return done(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      done(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      done(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function splitText(text: string, parts: number): string[] {
  const n = Math.max(1, Math.min(parts, text.length || 1));
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(text.slice(i * size, (i + 1) * size));
  return out.filter((p, i) => p.length > 0 || i === 0);
}

async function say(
  ctx: TurnContext,
  text: string,
  chunks: number,
  kind: 'agent_message_chunk' | 'agent_thought_chunk',
) {
  const messageId = crypto.randomUUID();
  for (const part of splitText(text, chunks)) {
    await ctx.notify({ sessionUpdate: kind, messageId, content: { type: 'text', text: part } });
  }
}

async function runTool(ctx: TurnContext, tool: ScriptToolStep): Promise<Stop | null> {
  const toolCallId = `toolu_${++toolCounter}`;
  const { cwd, mode } = ctx.session;
  await ctx.notify({
    sessionUpdate: 'tool_call',
    toolCallId,
    title: tool.kind === 'edit' ? 'Write' : 'Tool',
    kind: tool.kind,
    status: 'pending',
    rawInput: {},
  });
  const content: acp.ToolCallContent[] = tool.diff
    ? [
        {
          type: 'diff',
          path: resolve(cwd, tool.diff.path),
          oldText: tool.diff.oldText ?? null,
          newText: tool.diff.newText,
        },
      ]
    : [];
  const details = {
    toolCallId,
    title: tool.title,
    kind: tool.kind,
    rawInput: tool.input ?? {},
    content,
    locations: tool.diff ? [{ path: resolve(cwd, tool.diff.path) }] : [],
  };
  await ctx.notify({ sessionUpdate: 'tool_call_update', ...details });

  const skip = mode === 'bypassPermissions' || (mode === 'acceptEdits' && EDIT_KINDS.has(tool.kind));
  if (tool.permission && !skip) {
    let response: acp.RequestPermissionResponse;
    try {
      response = await ctx.client.request(methods.client.session.requestPermission, {
        sessionId: ctx.session.id,
        toolCall: details,
        options: PERMISSION_OPTIONS,
      });
    } catch {
      return 'cancelled';
    }
    if (response.outcome.outcome === 'cancelled' || ctx.signal.aborted) return 'cancelled';
    const chosen = PERMISSION_OPTIONS.find(
      (o) => o.optionId === (response.outcome as { optionId: string }).optionId,
    );
    if (!chosen || chosen.kind.startsWith('reject')) {
      await ctx.notify({
        sessionUpdate: 'tool_call_update',
        toolCallId,
        status: 'failed',
        content: [{ type: 'content', content: { type: 'text', text: 'The user rejected this tool call.' } }],
      });
      return null;
    }
  }
  if (tool.write) {
    const target = resolve(cwd, tool.write.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, tool.write.content);
  }
  await ctx.notify({
    sessionUpdate: 'tool_call_update',
    toolCallId,
    status: tool.result ?? 'completed',
    ...(tool.output !== undefined
      ? {
          rawOutput: tool.output,
          content: [{ type: 'content', content: { type: 'text', text: tool.output } }],
        }
      : {}),
  });
  return null;
}

/**
 * Asks the user a question the way the Claude Code adapter surfaces AskUserQuestion: a form-mode
 * `elicitation/create` with a `question_0` enum field and a `question_0_custom` free-text field.
 * Accept → says `You answered: <value>`; decline → `No answer given.`; cancel → the turn ends `cancelled`.
 */
async function ask(ctx: TurnContext, q: Extract<ScriptStep, { ask: unknown }>['ask']): Promise<Stop | null> {
  const toolCallId = `toolu_${++toolCounter}`;
  await ctx.notify({
    sessionUpdate: 'tool_call',
    toolCallId,
    title: 'AskUserQuestion',
    kind: 'other',
    status: 'pending',
    rawInput: {},
  });
  const options = (q.options ?? []).map((label) => ({ const: label, title: label }));
  const field = q.multiSelect
    ? { type: 'array' as const, title: q.header, items: { anyOf: options } }
    : { type: 'string' as const, title: q.header, ...(options.length > 0 ? { oneOf: options } : {}) };
  let response: acp.CreateElicitationResponse;
  try {
    response = await ctx.client.request(methods.client.elicitation.create, {
      mode: 'form',
      sessionId: ctx.session.id,
      toolCallId,
      message: q.question,
      requestedSchema: {
        type: 'object',
        properties: {
          question_0: field,
          question_0_custom: {
            type: 'string',
            title: 'Other',
            description: 'Type your own answer (optional).',
          },
        },
      },
    } as acp.CreateElicitationRequest);
  } catch {
    return 'cancelled';
  }
  if (response.action === 'cancel' || ctx.signal.aborted) return 'cancelled';
  const content =
    (response.action === 'accept' ? (response as { content?: Record<string, unknown> }).content : null) ?? {};
  const picked = content.question_0;
  const custom = typeof content.question_0_custom === 'string' ? content.question_0_custom.trim() : '';
  const answer = Array.isArray(picked)
    ? picked.join(', ')
    : typeof picked === 'string' && picked
      ? picked
      : custom;
  await ctx.notify({ sessionUpdate: 'tool_call_update', toolCallId, status: 'completed' });
  await say(ctx, answer ? `You answered: ${answer}` : 'No answer given.', 1, 'agent_message_chunk');
  return null;
}

/** Performs one step; returns a stop reason to end the turn, or `null` to go on. */
async function runStep(ctx: TurnContext, step: ScriptStep): Promise<Stop | null> {
  if ('say' in step) await say(ctx, step.say, step.chunks ?? 1, 'agent_message_chunk');
  else if ('think' in step) await say(ctx, step.think, 1, 'agent_thought_chunk');
  else if ('tool' in step) return runTool(ctx, step.tool);
  else if ('plan' in step) await ctx.notify({ sessionUpdate: 'plan', entries: step.plan });
  else if ('usage' in step) {
    const { used, size, cost } = step.usage;
    await ctx.notify({
      sessionUpdate: 'usage_update',
      used,
      size,
      ...(cost !== undefined ? { cost: { amount: cost, currency: 'USD' } } : {}),
    });
  } else if ('tokens' in step) {
    const t = (ctx.tokens ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    t.input += step.tokens.input;
    t.output += step.tokens.output;
    t.cacheRead += step.tokens.cacheRead ?? 0;
    t.cacheWrite += step.tokens.cacheWrite ?? 0;
  } else if ('title' in step) {
    await ctx.notify({
      sessionUpdate: 'session_info_update',
      title: step.title,
      updatedAt: new Date().toISOString(),
    });
  } else if ('sleep' in step) {
    if (!(await sleep(step.sleep, ctx.signal))) return 'cancelled';
  } else if ('waitForCancel' in step) {
    await sleep(2 ** 31 - 1, ctx.signal);
    return 'cancelled';
  } else if ('hang' in step) {
    await new Promise<never>(() => {});
  } else if ('crash' in step) {
    if (step.stderr) process.stderr.write(`${step.stderr}\n`);
    process.exit(step.crash);
  } else if ('garbage' in step) {
    await new Promise<void>((done) => process.stdout.write(`${step.garbage}\n`, () => done()));
  } else if ('fail' in step) {
    throw new RequestError(step.fail.code, step.fail.message, step.fail.data);
  } else if ('chunksBulk' in step || 'thoughtsBulk' in step) {
    const messageId = crypto.randomUUID();
    const [n, sessionUpdate] =
      'chunksBulk' in step
        ? [step.chunksBulk, 'agent_message_chunk' as const]
        : [step.thoughtsBulk, 'agent_thought_chunk' as const];
    const sends: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      sends.push(ctx.notify({ sessionUpdate, messageId, content: { type: 'text', text: 'x' } }));
    }
    await Promise.all(sends);
  } else if ('tools' in step) {
    for (let i = 0; i < step.tools; i++) {
      await runTool(ctx, { title: `Read file ${i}`, kind: 'read', input: { i }, output: `ok ${i}` });
    }
  } else if ('parallel' in step) {
    const stops = await Promise.all(step.parallel.map((tool) => runTool(ctx, tool)));
    return stops.find((s) => s !== null) ?? null;
  } else if ('echoEnv' in step) {
    const env = Object.fromEntries(step.echoEnv.map((k) => [k, process.env[k] ?? null]));
    await say(ctx, JSON.stringify(env), 1, 'agent_message_chunk');
  } else if ('probeFiles' in step) {
    const seen: Record<string, string> = {};
    for (const target of step.probeFiles) {
      try {
        if (target.startsWith('write:')) {
          writeFileSync(target.slice(6), 'written by the agent');
          seen[target] = 'OK';
        } else {
          seen[target] = readFileSync(target, 'utf8').slice(0, 200);
        }
      } catch (err) {
        seen[target] = `ERR:${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      }
    }
    await say(ctx, JSON.stringify(seen), 1, 'agent_message_chunk');
  } else if ('recall' in step) {
    const prompts = ctx.earlierPrompts;
    const cut = (t: string | undefined) => (t === undefined ? null : t.slice(0, 80));
    await say(
      ctx,
      JSON.stringify({ prompts: prompts.length, first: cut(prompts[0]), last: cut(prompts.at(-1)) }),
      1,
      'agent_message_chunk',
    );
  } else if ('ask' in step) return ask(ctx, step.ask);
  else if ('stop' in step) return step.stop;
  else throw RequestError.invalidParams({ step }, 'Unknown script step');
  return null;
}

/** Runs `steps` in order; the turn ends `cancelled` as soon as a cancel is seen between steps. */
export async function runScript(ctx: TurnContext, steps: ScriptStep[]): Promise<Stop> {
  for (const step of steps) {
    if (ctx.signal.aborted) return 'cancelled';
    const stop = await runStep(ctx, step);
    if (stop) return stop;
  }
  return ctx.signal.aborted ? 'cancelled' : 'end_turn';
}
