import { SESSION_STATUSES, type Session, type SessionStatus } from '@aegis/client';

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

export function statusLabel(s: SessionStatus): string {
  return s === 'permission_prompt' ? 'needs permission' : s.replace(/_/g, ' ');
}

export function sessionName(s: Session): string {
  return s.name || s.title || s.id.slice(0, 8);
}

export function fmtNumber(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

export function fmtCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  return usd > 0 && usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function fmtAgo(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/**
 * A timestamp in local time as `2026-12-04 18:42:19`: the same in every browser locale (no 12/4
 * vs 4/12 guessing), sortable, 24-hour. The ISO string with its zone goes in a title beside it.
 */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
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
