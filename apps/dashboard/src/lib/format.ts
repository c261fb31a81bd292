import { SESSION_STATUSES, type Session, type SessionStatus } from '@aegis/client';
import { intlLocale, t } from '../i18n/index.js';

export const ALL_STATES: readonly SessionStatus[] = SESSION_STATUSES;

/** States where a person has to act. */
export const NEEDS_HUMAN: ReadonlySet<SessionStatus> = new Set([
  'permission_prompt',
  'asking',
  'stalled',
  'error',
]);
/**
 * Whether a person has to act on a session: a state in `NEEDS_HUMAN`, or a permission or question
 * still waiting (which can outlive the state change that announced it). The Overview's "Needs you"
 * list and the Sessions page's "Needs a human" filter both use this, so they always agree.
 */
export function needsHuman(s: Session): boolean {
  return NEEDS_HUMAN.has(s.status) || !!s.pendingPermission || !!s.pendingQuestion;
}

export const TERMINAL: ReadonlySet<SessionStatus> = new Set(['completed', 'killed', 'crashed']);

export function statusTone(s: SessionStatus): 'attn' | 'bad' | 'busy' | 'ok' | 'muted' | 'warn' {
  switch (s) {
    case 'permission_prompt':
    case 'asking':
      return 'attn';
    case 'error':
    case 'crashed':
      return 'bad';
    case 'stalled':
    case 'rate_limit':
      return 'warn';
    case 'working':
    case 'pending':
      return 'busy';
    case 'idle':
    case 'completed':
      return 'ok';
    default:
      return 'muted';
  }
}

/** A session state in words, in the current language. */
export function statusLabel(s: SessionStatus): string {
  return t(`status.${s}`);
}

export function sessionName(s: Session): string {
  return s.name || s.title || s.id.slice(0, 8);
}

/** A count, compact past a thousand (`12.3K`, `12,3K`), in the dashboard's language. */
export function fmtNumber(n: number): string {
  return fmt(
    'compact',
    () => new Intl.NumberFormat(intlLocale(), { notation: 'compact', maximumFractionDigits: 1 }),
  ).format(n);
}

/** US dollars: four decimals under a dollar (agents' costs are small), two above. */
export function fmtCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  const digits = usd > 0 && usd < 1 ? 4 : 2;
  return fmt(
    `usd${digits}`,
    () =>
      new Intl.NumberFormat(intlLocale(), {
        style: 'currency',
        currency: 'USD',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  ).format(usd);
}

/** How long ago, in the largest whole unit (`5s ago`, `3 min fa`). */
export function fmtAgo(iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const s = Math.round((now - at) / 1000);
  if (s < 5) return t('time.justNow');
  const rtf = fmt(
    'ago',
    () => new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'always', style: 'narrow' }),
  );
  if (s < 60) return rtf.format(-s, 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/**
 * A timestamp in local time, 24-hour with seconds, in the order of the dashboard's language (and
 * the browser's region for it: `en-GB` is day first). The ISO string with its zone goes in a title.
 */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(
    'time',
    () =>
      new Intl.DateTimeFormat(intlLocale(), {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  ).format(d);
}

/** Intl formatters are costly to build: one per kind and locale. */
const formatters = new Map<string, { format(...args: never[]): string }>();
function fmt<F extends { format(...args: never[]): string }>(kind: string, make: () => F): F {
  const key = `${kind}|${intlLocale()}`;
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as F;
}

/** Last path segments of a directory, for narrow cells (the full path goes in a title). */
export function shortPath(p: string, segments = 2): string {
  const parts = p.split('/').filter(Boolean);
  return parts.length <= segments ? p : `…/${parts.slice(-segments).join('/')}`;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV of sessions (cells starting with = + - @ are quoted against spreadsheet formulas). */
export function sessionsCsv(sessions: readonly Session[]): string {
  const header = [
    'id',
    'name',
    'status',
    'workDir',
    'agent',
    'model',
    'permissionMode',
    'turns',
    'inputTokens',
    'outputTokens',
    'totalTokens',
    'costUsd',
    'createdAt',
    'lastActivityAt',
  ];
  const rows = sessions.map((s) => [
    s.id,
    s.name ?? s.title ?? '',
    s.status,
    s.workDir,
    s.agent,
    s.model ?? '',
    s.permissionMode,
    s.turns,
    s.usage.inputTokens,
    s.usage.outputTokens,
    s.usage.totalTokens,
    s.usage.costUsd ?? '',
    s.createdAt,
    s.lastActivityAt,
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export interface SessionFilter {
  states: readonly SessionStatus[] | 'needsHuman' | 'all';
  text: string;
  /** Exact workDir, or undefined for any. */
  workDir?: string;
  from?: string; // yyyy-mm-dd, inclusive
  to?: string; // yyyy-mm-dd, inclusive
}

export function filterSessions(sessions: readonly Session[], f: SessionFilter): Session[] {
  const q = f.text.trim().toLowerCase();
  const from = f.from ? Date.parse(`${f.from}T00:00:00`) : Number.NEGATIVE_INFINITY;
  const to = f.to ? Date.parse(`${f.to}T23:59:59.999`) : Number.POSITIVE_INFINITY;
  return sessions.filter((s) => {
    if (f.states === 'needsHuman' && !needsHuman(s)) return false;
    if (f.workDir !== undefined && s.workDir !== f.workDir) return false;
    if (Array.isArray(f.states) && !f.states.includes(s.status)) return false;
    if (q && ![s.workDir, s.name ?? '', s.title ?? '', s.id].some((v) => v.toLowerCase().includes(q)))
      return false;
    const created = Date.parse(s.createdAt);
    return created >= from && created <= to;
  });
}

/** Sessions created per day for the last `days` days (oldest first), for a sparkline. */
export function createdPerDay(sessions: readonly Session[], days = 14, now = new Date()): number[] {
  const out = new Array<number>(days).fill(0);
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() + 86_400_000;
  for (const s of sessions) {
    const t = Date.parse(s.createdAt);
    const idx = days - 1 - Math.floor((end - 1 - t) / 86_400_000);
    if (idx >= 0 && idx < days) out[idx]!++;
  }
  return out;
}

/** The distinct workDirs of `sessions`, sorted, for the workDir filter. */
export function distinctWorkDirs(sessions: readonly Session[]): string[] {
  return [...new Set(sessions.map((s) => s.workDir))].sort();
}
