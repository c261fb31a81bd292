import type { AegisClient, AegisEvent, TranscriptEntry } from '@aegis/client';
import { defineCommand } from 'citty';
import { connect, connectionArgs } from '../connect.js';
import { guarded, paint, printJson } from '../output.js';
import { describePermission } from '../render.js';
import { entryText, nextStep, statusText, toolLine } from '../session-view.js';

const TERMINAL = new Set(['completed', 'killed', 'crashed']);

export const logsCommand = defineCommand({
  meta: {
    name: 'logs',
    description:
      'Print a session’s transcript; -f keeps following it live until the session ends (Ctrl-C stops)',
  },
  args: {
    id: { type: 'positional', description: 'Session id', required: true },
    follow: { type: 'boolean', alias: ['f'], description: 'Stream new activity (SSE) after the transcript' },
    json: {
      type: 'boolean',
      description: 'JSON: { status, entries }; with -f, NDJSON: transcript entries, then events',
    },
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const { client } = connect(args);
    const { entries, status, session } = await readAll(client, args.id);
    if (args.json && !args.follow) printJson({ status, entries });
    else if (args.json) for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
    else for (const e of entries) process.stdout.write(entryText(e));
    if (!args.follow) return 0;
    if (TERMINAL.has(status)) {
      if (!args.json) process.stderr.write(`${paint.dim(`Session ${args.id} has ended (${status}).`)}\n`);
      return 0;
    }
    const next = nextStep(session);
    if (next && !args.json) process.stderr.write(`${paint.yellow('?')} ${next}\n`);
    const cutoff = entries.reduce((m, e) => Math.max(m, e.seq), 0);
    return follow(client, args.id, cutoff, args.json === true);
  }),
});

async function readAll(client: AegisClient, id: string) {
  const entries: TranscriptEntry[] = [];
  let cursor = 0;
  for (;;) {
    const page = await client.readSession(id, { cursor, limit: 1000 });
    entries.push(...page.entries);
    cursor = page.cursor;
    if (!page.has_more) return { entries, status: page.status, session: page.session };
  }
}

/**
 * Streams events after the transcript. Events up to `cutoff` (the newest printed entry) are replayed
 * silently, only to recover a message that was still being written; everything after is printed.
 */
async function follow(client: AegisClient, id: string, cutoff: number, json: boolean): Promise<number> {
  const abort = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const view: View = { partial: new Map(), printed: new Set(), titles: new Map() };
  let midLine = false;
  const out = (text: string) => {
    process.stdout.write(text);
    midLine = !text.endsWith('\n');
  };
  const endLine = () => midLine && out('\n');
  try {
    for await (const e of client.streamSessionEvents(id, { after: 0, signal: abort.signal })) {
      if (e.seq <= cutoff) {
        const { partial } = view;
        if (e.type === 'message.delta')
          partial.set(e.data.messageId, (partial.get(e.data.messageId) ?? '') + e.data.text);
        if (e.type === 'message.completed') partial.delete(e.data.messageId);
        if ((e.type === 'tool.started' || e.type === 'tool.updated') && e.data.title)
          view.titles.set(e.data.toolCallId, e.data.title);
        continue;
      }
      if (json) process.stdout.write(`${JSON.stringify(e)}\n`);
      else show(e, view, out, endLine);
      if (e.type === 'session.ended') return e.data.status === 'crashed' ? 1 : 0;
    }
  } finally {
    process.off('SIGINT', onSigint);
    abort.abort();
    endLine();
  }
  return interrupted ? 130 : 0;
}

/**
 * Text of messages begun before the cutoff, messages whose text is already on screen, and tool titles
 * (a `tool.completed` may carry none).
 */
interface View {
  partial: Map<string, string>;
  printed: Set<string>;
  titles: Map<string, string>;
}

function show(e: AegisEvent, view: View, out: (t: string) => void, endLine: () => void): void {
  switch (e.type) {
    case 'message.delta': {
      const id = e.data.messageId;
      out((view.partial.get(id) ?? '') + e.data.text);
      view.partial.delete(id);
      view.printed.add(id);
      return;
    }
    case 'message.completed':
      if (!view.printed.has(e.data.messageId)) out(e.data.text);
      view.partial.delete(e.data.messageId);
      view.printed.delete(e.data.messageId);
      endLine();
      return;
    case 'turn.started':
      endLine();
      out(`${paint.bold(paint.blue('>'))} ${e.data.text}\n`);
      return;
    case 'tool.started':
    case 'tool.updated':
      if (e.data.title) view.titles.set(e.data.toolCallId, e.data.title);
      return;
    case 'tool.completed':
      endLine();
      out(toolLine(e.data.title ?? view.titles.get(e.data.toolCallId), e.data.status));
      view.titles.delete(e.data.toolCallId);
      return;
    case 'permission.requested':
      endLine();
      out(
        `${paint.yellow('?')} ${describePermission(e.data)} — \`ag approve ${e.sessionId}\` / \`ag reject ${e.sessionId}\`\n`,
      );
      return;
    case 'permission.resolved':
      out(`  → ${e.data.optionKind?.startsWith('allow') ? paint.green('allowed') : paint.red('rejected')}\n`);
      return;
    case 'question.asked':
      endLine();
      out(`${paint.yellow('?')} ${e.data.message}\n`);
      return;
    case 'turn.failed':
      endLine();
      out(
        `${paint.red('✖')} ${e.data.problem.message}${e.data.problem.hint ? ` — ${e.data.problem.hint}` : ''}\n`,
      );
      return;
    case 'session.state_changed':
      return;
    case 'session.ended':
      endLine();
      out(`${paint.dim(`Session ended: ${statusText(e.data.status)} (${e.data.reason})`)}\n`);
      return;
    default:
      return;
  }
}
