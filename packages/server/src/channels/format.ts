import type { AegisEvent, EventOf } from '@aegis/core';

/*
 * What channels say about events, as plain text (no markup, so nothing an agent writes can break a
 * message). Shared by Telegram, Slack and email.
 */

/** Event kinds the chat channels (Telegram, Slack) send unless configured otherwise. */
export const CHAT_DEFAULT_EVENTS = [
  'session.created',
  'permission.requested',
  'permission.resolved',
  'question.asked',
  'turn.completed',
  'turn.failed',
  'session.ended',
] as const;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The tool and what it touches: the command, the file and the size of the change, the URL. */
export function permissionTarget(data: EventOf<'permission.requested'>['data']): string {
  const lines: string[] = [];
  const input = (data.input ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const command = str('command') ?? str('cmd');
  if (command) lines.push(`$ ${clip(command, 500)}`);
  for (const c of data.content) {
    if (c.type === 'diff') {
      const before = c.oldText === null ? 0 : c.oldText.split('\n').length;
      const after = c.newText.split('\n').length;
      lines.push(
        c.oldText === null
          ? `${c.path}: new file, ${after} line${after === 1 ? '' : 's'}`
          : `${c.path}: ${before} → ${after} lines`,
      );
    } else if (c.type === 'text' && c.text.trim()) lines.push(clip(c.text.trim(), 300));
  }
  const path = str('file_path') ?? str('path') ?? str('filePath');
  if (path && !lines.some((l) => l.startsWith(path))) lines.push(path);
  const url = str('url');
  if (url) lines.push(url);
  return lines.join('\n');
}

export function permissionText(event: EventOf<'permission.requested'>): string {
  const d = event.data;
  const target = permissionTarget(d);
  return [`🔐 Permission requested: ${clip(d.title, 300)}`, `Tool: ${d.kind ?? 'other'}`, target]
    .filter(Boolean)
    .join('\n');
}

export function questionText(event: EventOf<'question.asked'>): string {
  const d = event.data;
  const parts = [`❓ ${clip(d.message || 'The agent asks:', 500)}`];
  for (const q of d.questions) {
    parts.push(`${q.header ? `${q.header}: ` : ''}${q.question}`);
    for (const o of q.options) parts.push(`  • ${o.label}`);
  }
  parts.push('Reply in this thread, or press an option.');
  return parts.join('\n');
}

/** `decidedBy` as words: `telegram:42` → "Telegram user 42", a policy rule → "policy (rule)". */
export function deciderText(d: EventOf<'permission.resolved'>['data']['decidedBy']): string {
  if (d.type === 'policy') return `policy${d.rule ? ` (${d.rule})` : ''}`;
  if (d.type === 'system') return 'Aegis';
  const a = d.actor;
  if (!a) return 'the local user';
  const [kind, id] = a.split(':');
  if (kind === 'telegram') return `Telegram user ${id}`;
  if (kind === 'slack') return `Slack user ${id}`;
  return `API key ${a}`;
}

export function resolvedText(event: EventOf<'permission.resolved'>): string {
  const d = event.data;
  const what =
    d.outcome === 'cancelled'
      ? 'cancelled'
      : d.optionKind?.startsWith('allow')
        ? `approved${d.optionKind === 'allow_always' ? ' (always)' : ''}`
        : 'rejected';
  return `${what === 'cancelled' ? '⏹' : what.startsWith('approved') ? '✅' : '⛔'} ${what[0]?.toUpperCase()}${what.slice(1)} by ${deciderText(d.decidedBy)}`;
}

/** A one-line-per-event text for everything but the permission/question/turn messages. */
export function eventText(
  event: AegisEvent,
  session: { name: string | null; workDir: string },
): string | null {
  switch (event.type) {
    case 'session.created':
      return `🆕 Session ${session.name ?? event.sessionId.slice(0, 8)} started in ${event.data.workDir} (${event.data.agent})`;
    case 'turn.failed':
      return `⚠️ The turn failed: ${clip(event.data.problem.message, 1000)}${event.data.rateLimited ? ' (rate limited)' : ''}`;
    case 'session.ended':
      if (event.data.status === 'killed')
        return `🛑 Session killed${event.data.reason ? `: ${clip(event.data.reason, 300)}` : ''}`;
      if (event.data.status === 'crashed') return `💥 The agent crashed: ${clip(event.data.reason, 500)}`;
      return `🏁 Session ended: ${clip(event.data.reason, 300)}`;
    case 'session.state_changed':
      return `State: ${event.data.from} → ${event.data.to}`;
    case 'permission.requested':
      return permissionText(event);
    case 'permission.resolved':
      return resolvedText(event);
    case 'question.asked':
      return questionText(event);
    default:
      return `${event.type}`;
  }
}

/** Splits `text` into pieces of at most `max` characters, at line breaks where possible. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * The agent's reply in the turn `completed` ends: the `message.completed` texts after that turn's
 * `turn.started`, read from the session's stored events.
 */
export async function turnReply(
  completed: EventOf<'turn.completed'>,
  listEvents: (q: { sessionId: string; after: number; limit: number }) => Promise<AegisEvent[]>,
): Promise<string> {
  const window = 2000;
  const events = await listEvents({
    sessionId: completed.sessionId,
    after: Math.max(0, completed.seq - window),
    limit: window,
  });
  const inTurn = events.filter((e) => e.seq < completed.seq);
  const start = inTurn.findLastIndex(
    (e) => e.type === 'turn.started' && e.data.turnId === completed.data.turnId,
  );
  return inTurn
    .slice(start + 1)
    .filter((e): e is EventOf<'message.completed'> => e.type === 'message.completed')
    .map((e) => e.data.text)
    .join('\n\n')
    .trim();
}
