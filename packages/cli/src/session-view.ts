import type { Session, SessionStatus, TranscriptEntry } from '@aegis/client';
import { paint, plain, plainText, warnLine } from './output.js';
import { droppedMessage, type TurnOutcome } from './wait.js';

const STATUS_COLOR: Record<SessionStatus, (s: string) => string> = {
  pending: paint.gray,
  idle: paint.green,
  working: paint.cyan,
  permission_prompt: paint.yellow,
  asking: paint.yellow,
  stalled: paint.yellow,
  rate_limit: paint.yellow,
  error: paint.red,
  completed: paint.gray,
  killed: paint.gray,
  crashed: paint.red,
};

export const statusText = (s: SessionStatus): string => STATUS_COLOR[s](s);

/** What to run next, for a session in `status`. */
export function nextStep(s: Session): string | null {
  switch (s.status) {
    case 'permission_prompt':
      return `waiting for permission: ${plain(s.pendingPermission?.title ?? '?')} — \`ag approve ${s.id}\` or \`ag reject ${s.id}\``;
    case 'asking':
      return `the agent asked: ${plain(s.pendingQuestion?.message ?? '?')} (answer in the dashboard or over the API)`;
    case 'error':
      return s.problem ? plain(`${s.problem.message}${s.problem.hint ? ` — ${s.problem.hint}` : ''}`) : null;
    default:
      return null;
  }
}

const TERMINAL: ReadonlySet<SessionStatus> = new Set(['completed', 'killed', 'crashed']);

/** Whether a live session has an agent process up (`resident`) or none until its next prompt (`dormant`). */
export const agentText = (s: Session): string =>
  TERMINAL.has(s.status) ? '-' : s.agentResident ? 'resident' : 'dormant';

/** The node that owns a session; `unowned` while a live one waits for a node to adopt it. */
const nodeText = (s: Session): string => (s.node ? plain(s.node) : TERMINAL.has(s.status) ? '-' : 'unowned');

/**
 * One table row per session: id, status, agent residency, owner node (only when a session has one:
 * servers sharing a PostgreSQL database), name, work folder, last activity.
 */
export function sessionRows(sessions: Session[]): string {
  const withNode = sessions.some((s) => s.node !== null);
  const rows = sessions.map((s) => [
    s.id,
    s.status,
    agentText(s),
    ...(withNode ? [nodeText(s)] : []),
    plain(s.name ?? s.title ?? '-'),
    plain(s.workDir),
    s.lastActivityAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
  ]);
  const head = ['ID', 'STATUS', 'AGENT', ...(withNode ? ['NODE'] : []), 'NAME', 'WORKDIR', 'LAST ACTIVITY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], color = false) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        return color && i === 1 ? padded.replace(c, statusText(c as SessionStatus)) : padded;
      })
      .join('  ');
  return [paint.bold(line(head)), ...rows.map((r) => line(r, true))].join('\n') + '\n';
}

/**
 * One line for a finished tool call, the same in `ag logs`, `ag logs -f` and `ag run`:
 * `✔ title`, or `✖ title (failed)` for any other status.
 */
export function toolLine(title: string | null | undefined, status: string | undefined): string {
  const ok = status === 'completed';
  const mark = ok ? paint.green('✔') : paint.red('✖');
  return `${mark} ${plain(title ?? 'tool')}${ok ? '' : paint.dim(` (${status ?? 'failed'})`)}\n`;
}

/** A transcript entry for people, with the control characters of its text escaped. */
export function entryText(e: TranscriptEntry): string {
  return rawEntryText({
    ...e,
    text: plainText(e.text),
    ...(e.tool ? { tool: { ...e.tool, title: plain(e.tool.title) } } : {}),
    ...(e.permission ? { permission: { ...e.permission, title: plain(e.permission.title) } } : {}),
    ...(e.plan ? { plan: e.plan.map((p) => ({ ...p, content: plain(p.content) })) } : {}),
  } as TranscriptEntry);
}

function rawEntryText(e: TranscriptEntry): string {
  switch (e.role) {
    case 'user':
      return `${paint.bold(paint.blue('>'))} ${e.text}\n`;
    case 'assistant':
      return `${e.text}\n`;
    case 'thought':
      return `${paint.dim(`(thinking) ${e.text}`)}\n`;
    case 'tool':
      return toolLine(e.tool?.title ?? e.text, e.tool?.status);
    case 'permission': {
      const p = e.permission;
      const verdict = p?.optionKind?.startsWith('allow') ? paint.green('allowed') : paint.red('rejected');
      const outcome = p?.outcome === 'cancelled' ? paint.dim('cancelled') : verdict;
      return `${paint.yellow('?')} ${p?.title ?? e.text} → ${outcome}\n`;
    }
    case 'plan':
      return `${(e.plan ?? []).map((p) => `${p.status === 'completed' ? '☑' : '☐'} ${p.content}`).join('\n')}\n`;
    case 'system':
      return `${paint.dim(e.text)}\n`;
  }
}

/** What a `--wait` ended on, for people. */
export function showOutcome({ session: s, reason, reply, dropped }: TurnOutcome): void {
  for (const text of reply) process.stdout.write(`${plainText(text)}\n`);
  const next = nextStep(s);
  const head = `Session ${s.id} is ${statusText(s.status)}`;
  if (reason === 'dropped')
    process.stderr.write(
      `${paint.red('✖')} ${droppedMessage(dropped ?? 'no reason given')} (session ${s.id} is ${statusText(s.status)}).\n`,
    );
  else if (reason === 'turn_failed' || s.status === 'error' || s.status === 'crashed')
    process.stderr.write(`${paint.red('✖')} ${head}${next ? `: ${next}` : ''}\n`);
  else if (next) warnLine(`${head}: ${next}`);
  else process.stdout.write(`${paint.green('✔')} ${head}\n`);
}
