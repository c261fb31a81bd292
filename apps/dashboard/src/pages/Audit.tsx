import type { AuditRecord, AuditVerification } from '@aegis/client';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, errorMessage, isForbidden } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { Restricted } from '../components/Restricted.js';
import { useToast } from '../components/Toasts.js';
import { Who } from '../components/Who.js';
import { t, tp } from '../i18n/index.js';
import {
  type AuditFilter,
  auditCsv,
  auditDetailPairs,
  auditNdjson,
  auditQuery,
  EMPTY_AUDIT_FILTER,
  exportFileName,
  filterFromSearch,
  filterToSearch,
  outcomeTone,
  verificationText,
} from '../lib/audit.js';
import { downloadText } from '../lib/download.js';
import { fmtTime } from '../lib/format.js';
import { allCursorPages } from '../lib/paging.js';
import { href, navigate } from '../lib/router.js';

const PAGE = 200;
/** Records per request while exporting (the server's maximum page). */
const EXPORT_PAGE = 10_000;

export function Audit({ search }: { search: string }) {
  const toast = useToast();
  const applied = filterFromSearch(search);
  const [draft, setDraft] = useState<AuditFilter>(applied);
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const [verify, setVerify] = useState<AuditVerification | 'checking' | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the applied filter changes or on retry
  useEffect(() => {
    setDraft(filterFromSearch(search));
    let live = true;
    setLoading(true);
    (async () => {
      try {
        const res = await api().queryAudit({ ...auditQuery(filterFromSearch(search)), limit: PAGE });
        if (!live) return;
        setRecords(res.records);
        setNextAfter(res.nextAfter);
        setError(undefined);
      } catch (err) {
        if (live) setError(err);
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [search, attempt]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    try {
      auditQuery(draft);
    } catch (err) {
      toast(errorMessage(err), 'error');
      return;
    }
    const to = href.audit(filterToSearch(draft));
    if (location.hash === to) setAttempt((a) => a + 1);
    else navigate(to);
  };

  const more = async () => {
    if (nextAfter === null) return;
    try {
      const res = await api().queryAudit({ ...auditQuery(applied), after: nextAfter, limit: PAGE });
      setRecords((r) => [...(r ?? []), ...res.records]);
      setNextAfter(res.nextAfter);
    } catch (err) {
      toast(t('audit.moreFailed', { why: errorMessage(err) }), 'error');
    }
  };

  const runVerify = async () => {
    setVerify('checking');
    try {
      const res = await api().queryAudit({ verify: 'true', limit: 1 });
      const v = res.verification ?? { ok: false, checked: 0, firstBroken: null };
      setVerify(v);
      // The result is said once, in the banner under the buttons.
    } catch (err) {
      setVerify(null);
      toast(t('audit.verifyFailed', { why: errorMessage(err) }), 'error');
    }
  };

  const exportAs = useCallback(
    async (format: 'csv' | 'ndjson') => {
      try {
        const q = auditQuery(applied);
        const records = await allCursorPages(async (after) => {
          const res = await api().queryAudit({
            ...q,
            ...(after !== undefined ? { after } : {}),
            limit: EXPORT_PAGE,
          });
          return { items: res.records, nextAfter: res.nextAfter };
        });
        const text = format === 'csv' ? auditCsv(records) : auditNdjson(records);
        downloadText(
          text,
          exportFileName(format),
          format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson',
        );
        toast(t('audit.exported', { n: records.length, format: format.toUpperCase() }), 'ok');
      } catch (err) {
        toast(t('audit.exportFailed', { why: errorMessage(err) }), 'error');
      }
    },
    [applied, toast],
  );

  if (isForbidden(error))
    return (
      <>
        <h1>{t('audit.title')}</h1>
        <Restricted what={t('audit.restricted')} />
      </>
    );

  const field = (k: keyof AuditFilter, label: string, type = 'text', placeholder = '') => (
    <label className="field">
      <span>{label}</span>
      <input
        type={type}
        name={k}
        placeholder={placeholder}
        value={draft[k]}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      />
    </label>
  );

  return (
    <>
      <div className="page-head">
        <h1>{t('audit.title')}</h1>
        <div className="toolbar" role="toolbar" aria-label={t('audit.actions')}>
          <button type="button" className="btn" onClick={runVerify} disabled={verify === 'checking'}>
            {verify === 'checking' ? t('audit.verifying') : t('audit.verify')}
          </button>
          <button type="button" className="btn" onClick={() => exportAs('csv')}>
            {t('sessions.exportCsv')}
          </button>
          <button type="button" className="btn" onClick={() => exportAs('ndjson')}>
            {t('audit.exportNdjson')}
          </button>
        </div>
      </div>
      {verify && verify !== 'checking' ? (
        <div
          className={`banner ${verify.ok ? 'tone-ok' : 'tone-bad'}`}
          role="status"
          data-testid="verify-result"
          data-ok={String(verify.ok)}
        >
          <strong>{verify.ok ? '✓ ' : '✗ '}</strong>
          {verificationText(verify)}
        </div>
      ) : null}
      <section className="card" aria-labelledby="audit-list-title">
        <h2 id="audit-list-title" className="sr-only">
          {t('audit.records')}
        </h2>
        <form className="filters" aria-label={t('audit.filter')} onSubmit={apply}>
          {field('actor', t('audit.actor'), 'text', t('audit.actorPlaceholder'))}
          {field('action', t('audit.action'), 'text', 'createSession…')}
          {field('sessionId', t('sessions.col.session'), 'text', t('audit.sessionPlaceholder'))}
          {field('from', t('audit.from'), 'datetime-local')}
          {field('to', t('audit.to'), 'datetime-local')}
          <button type="submit" className="btn btn-primary">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(EMPTY_AUDIT_FILTER);
              navigate(href.audit());
            }}
          >
            {t('audit.clear')}
          </button>
        </form>
        {error && !records ? (
          <ErrorState error={error} onRetry={() => setAttempt((a) => a + 1)} />
        ) : error ? (
          <div className="banner tone-bad" role="alert">
            {errorMessage(error)}
          </div>
        ) : null}
        {!records ? (
          loading ? (
            <p className="muted">{t('common.loading')}</p>
          ) : null
        ) : records.length === 0 ? (
          <Empty title={search ? t('audit.noMatch') : t('audit.none')}>
            {search ? null : t('audit.noneHelp')}
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table audit-table">
              <caption className="sr-only">{t('audit.caption', { n: records.length })}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col" className="hide-sm">
                    {t('audit.target')}
                  </th>
                  <th scope="col">{t('audit.outcome')}</th>
                  <th scope="col" className="hide-md">
                    {t('side.details')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.map((r) => (
                  <tr key={r.id} data-testid="audit-row">
                    <td className="num mono small" title={t('audit.hash', { hash: r.hash })}>
                      {r.id}
                    </td>
                    <td className="small" title={r.at}>
                      {fmtTime(r.at)}
                    </td>
                    <td className="small">
                      <Who id={r.actorId} />
                      {r.actorRole ? <div className="muted">{r.actorRole}</div> : null}
                    </td>
                    <td className="mono small">{r.action}</td>
                    <td className="mono small hide-sm break">{r.target ?? ''}</td>
                    <td>
                      <span className={`chip tone-${outcomeTone(r.outcome)}`}>{r.outcome}</span>
                    </td>
                    <td className="small hide-md">
                      <DetailPairs pairs={auditDetailPairs(r)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">
              {tp('audit.count', records.length)}
              {nextAfter !== null ? (
                <>
                  {' '}
                  ·{' '}
                  <button type="button" className="btn btn-small" onClick={more}>
                    {t('audit.more')}
                  </button>
                </>
              ) : null}
            </p>
          </div>
        )}
      </section>
    </>
  );
}

/** A record's details as key/value lines (the raw JSON is in the NDJSON export). */
function DetailPairs({ pairs }: { pairs: [string, string][] }) {
  if (pairs.length === 0) return null;
  return (
    <dl className="kv kv-compact" data-testid="audit-details">
      {pairs.map(([k, v]) => (
        <div key={k} className="kv-pair">
          <dt>{k}</dt>
          <dd className="mono break-soft">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
