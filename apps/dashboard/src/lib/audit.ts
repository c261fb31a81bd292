import type { AuditRecord, AuditVerification } from '@aegis/client';
import { t, tp } from '../i18n/index.js';

export interface AuditFilter {
  actor: string;
  action: string;
  sessionId: string;
  /** `<input type="datetime-local">` values (local time, no zone), or ''. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', action: '', sessionId: '', from: '', to: '' };

export interface AuditQuery {
  actor?: string;
  action?: string;
  sessionId?: string;
  from?: string;
  to?: string;
}

/**
 * The `GET /v1/audit` query for a filter: blank fields left out, text trimmed, local date-times
 * turned into ISO instants. A `to` given to the minute covers that whole minute (inclusive bound).
 * Throws on a date it cannot read.
 */
export function auditQuery(f: AuditFilter): AuditQuery {
  const q: AuditQuery = {};
  const actor = f.actor.trim();
  const action = f.action.trim();
  const sessionId = f.sessionId.trim();
  if (actor) q.actor = actor;
  if (action) q.action = action;
  if (sessionId) q.sessionId = sessionId;
  if (f.from) q.from = toIso(f.from, false);
  if (f.to) q.to = toIso(f.to, true);
  if (q.from && q.to && q.from > q.to) throw new Error(t('audit.err.order'));
  return q;
}

function toIso(local: string, endOfMinute: boolean): string {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) throw new Error(t('audit.err.date', { value: local }));
  // datetime-local has minute precision unless seconds were typed.
  if (endOfMinute && /T\d\d:\d\d$/.test(local)) d.setSeconds(59, 999);
  return d.toISOString();
}

/** The filter as a URL hash query (so a filtered view can be linked), and back. */
export function filterToSearch(f: AuditFilter): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function filterFromSearch(search: string): AuditFilter {
  const p = new URLSearchParams(search.replace(/^\?/, ''));
  return {
    actor: p.get('actor') ?? '',
    action: p.get('action') ?? '',
    sessionId: p.get('sessionId') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
  };
}

type BreakReason = NonNullable<AuditVerification['firstBroken']>['reason'];

/** One line for the result of a chain check. */
export function verificationText(v: AuditVerification): string {
  if (v.ok) return tp('audit.intact', v.checked);
  const b = v.firstBroken;
  return b
    ? t('audit.broken', {
        id: String(b.id),
        why: t(`audit.reason.${b.reason satisfies BreakReason}`),
        n: v.checked,
      })
    : t('audit.brokenPlain');
}

/**
 * A record's details as readable key/value pairs for the table: top-level keys, nested keys joined
 * with dots (`session.id`), strings as they are, lists joined with commas; each value cut at `max`.
 */
export function auditDetailPairs(r: Pick<AuditRecord, 'details'>, max = 80): [string, string][] {
  const out: [string, string][] = [];
  const cut = (v: string) => (v.length > max ? `${v.slice(0, max - 1)}…` : v);
  const walk = (prefix: string, v: unknown, depth: number) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 2) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x, depth + 1);
      return;
    }
    const text =
      v === null || v === undefined
        ? '—'
        : typeof v === 'string'
          ? v
          : Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)
            ? v.join(', ')
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v);
    out.push([prefix, cut(text)]);
  };
  if (r.details && typeof r.details === 'object') walk('', r.details, 0);
  return out;
}

/** Outcome tone: 2xx/allow → ok, 4xx/5xx/reject → bad. */
export function outcomeTone(outcome: string): string {
  if (/^2\d\d$/.test(outcome) || outcome.startsWith('allow')) return 'ok';
  if (/^[45]\d\d$/.test(outcome) || outcome.startsWith('reject') || outcome === 'deny') return 'bad';
  return 'muted';
}

export function exportFileName(format: 'csv' | 'ndjson', now = new Date()): string {
  return `aegis-audit-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
}

/** The columns of the server's `format=csv` export, in its order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actorId',
  'actorRole',
  'action',
  'target',
  'outcome',
  'details',
  'prevHash',
  'hash',
] as const;

/** One CSV cell as the server writes it: JSON for objects, formula-looking text defused, quoted when needed. */
function auditCsvCell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Audit records as the server's CSV export (same columns and quoting). The dashboard builds the
 * file from JSON pages because only those carry `nextAfter`: a text export is one page (1,000
 * records by default), so exporting more means following the cursor.
 */
export function auditCsv(records: readonly AuditRecord[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(AUDIT_CSV_COLUMNS.map((k) => auditCsvCell(r[k])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Audit records as the server's NDJSON export: one JSON object a line. */
export function auditNdjson(records: readonly AuditRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
