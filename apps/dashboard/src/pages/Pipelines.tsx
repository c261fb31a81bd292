import type { Pipeline } from '@aegis/client';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { useToast } from '../components/Toasts.js';
import { intlLocale, t, tp } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
import { fmtAgo, fmtNumber, fmtTime } from '../lib/format.js';
import {
  exampleStages,
  layoutStages,
  listAllPipelines,
  type PipelineStage,
  parsePipelineForm,
  stageCounts,
  stageTone,
} from '../lib/pipeline.js';
import { href, navigate } from '../lib/router.js';
import { usePoll } from '../lib/usePoll.js';

export function PipelineBadge({ status }: { status: Pipeline['status'] | PipelineStage['status'] }) {
  return (
    <span className={`badge tone-${stageTone(status)}`} data-status={status}>
      {t(`pipeline.status.${status}`)}
    </span>
  );
}

export function Pipelines() {
  const { data, error, loading, refresh } = usePoll(
    () => listAllPipelines((q) => api().listPipelines(q)),
    3000,
  );
  const rows = [...(data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <div className="page-head">
        <h1>{t('nav.pipelines')}</h1>
        {error && data ? (
          <span className="chip tone-bad" role="status">
            {t('common.refreshFailed')}
          </span>
        ) : null}
      </div>
      <CreatePipeline onCreated={refresh} />
      <section className="card" aria-labelledby="pl-title">
        <h2 id="pl-title">{t('pipeline.all')}</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={refresh} />
        ) : loading && !data ? (
          <p className="muted">{t('common.loading')}</p>
        ) : rows.length === 0 ? (
          <Empty title={t('pipeline.none')}>{t('pipeline.noneHelp')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{tp('pipeline.count', rows.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pipeline.col.pipeline')}</th>
                  <th scope="col">{t('side.status')}</th>
                  <th scope="col">{t('pipeline.stages')}</th>
                  <th scope="col" className="hide-sm">
                    {t('side.created')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id} data-testid="pipeline-row">
                    <td>
                      <a href={href.pipeline(p.id)} className="row-link">
                        {p.name}
                      </a>
                      <div className="mono muted small">{p.id.slice(0, 8)}</div>
                    </td>
                    <td>
                      <PipelineBadge status={p.status} />
                    </td>
                    <td>
                      <ul className="stage-chips" aria-label={t('pipeline.stagesOf', { name: p.name })}>
                        {p.stages.map((s) => (
                          <li
                            key={s.name}
                            className={`chip tone-${stageTone(s.status)}`}
                            title={`${s.name}: ${t(`pipeline.status.${s.status}`)}`}
                            data-status={s.status}
                          >
                            {s.name}
                            <span className="sr-only">: {t(`pipeline.status.${s.status}`)}</span>
                          </li>
                        ))}
                      </ul>
                      <div className="muted small">
                        {stageCounts(p.stages)
                          .map(([st, n]) => `${fmtNumber(n)} ${t(`pipeline.status.${st}`)}`)
                          .join(' · ')}
                      </div>
                    </td>
                    <td className="small hide-sm" title={p.createdAt}>
                      {fmtAgo(p.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function CreatePipeline({ onCreated }: { onCreated: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [stages, setStages] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parsePipelineForm(name, stages);
    if (!parsed.ok) {
      setErr(parsed.error);
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const p = await api().createPipeline(parsed.request);
      toast(t('pipeline.started', { name: p.name }), 'ok');
      setName('');
      setStages('');
      onCreated();
      navigate(href.pipeline(p.id));
    } catch (error) {
      // Said once, in the form (role=alert), not again in a toast.
      setErr(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card create">
      <summary>
        <h2>{t('pipeline.new')}</h2>
      </summary>
      <form onSubmit={submit} aria-label={t('pipeline.createForm')} className="create-form">
        <label className="field span-all">
          <span>{t('pipeline.name')}</span>
          <input
            name="name"
            required
            placeholder={t('pipeline.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field span-all">
          <span>{t('pipeline.stagesJson')}</span>
          <textarea
            name="stages"
            className="mono"
            rows={10}
            spellCheck={false}
            required
            placeholder={exampleStages('')}
            value={stages}
            onChange={(e) => setStages(e.target.value)}
            aria-describedby="stages-help"
          />
        </label>
        <p id="stages-help" className="muted small span-all">
          {tr('pipeline.stagesHelp', {
            shape: (
              <code>{'{ "name", "spec": { "workDir", "prompt", "templateId"?, … }, "dependsOn"? }'}</code>
            ),
          })}{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setStages(exampleStages(localStorage.getItem('aegis.lastWorkDir') ?? ''))}
          >
            {t('pipeline.insertExample')}
          </button>
        </p>
        {err ? (
          <p className="form-error span-all" role="alert">
            {err}
          </p>
        ) : null}
        <div className="span-all">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.starting') : t('pipeline.start')}
          </button>
        </div>
      </form>
    </details>
  );
}

export function PipelineDetail({ id }: { id: string }) {
  const { data: p, error, loading, refresh } = usePoll(() => api().getPipeline(id), 1500);
  const back = (
    <a className="back" href={href.pipelines}>
      ← {t('nav.pipelines')}
    </a>
  );
  if (error && !p)
    return (
      <>
        {back}
        <ErrorState error={error} onRetry={refresh} />
      </>
    );
  if (loading || !p)
    return (
      <>
        {back}
        <p className="muted">{t('pipeline.loading')}</p>
      </>
    );
  const layout = layoutStages(p.stages);
  return (
    <>
      {back}
      <div className="page-head">
        <h1>{p.name}</h1>
        <PipelineBadge status={p.status} />
        <span className="muted small">
          {t('pipeline.created', { at: fmtTime(p.createdAt) })}
          {p.endedAt ? ` · ${t('pipeline.ended', { ago: fmtAgo(p.endedAt) })}` : ''}
        </span>
      </div>
      {p.error ? (
        <div className="banner tone-bad" role="alert">
          {p.error}
        </div>
      ) : null}
      <section className="card" aria-labelledby="graph-title">
        <h2 id="graph-title">{t('pipeline.stages')}</h2>
        <ol className="stage-graph" aria-label={t('pipeline.graph')}>
          {layout.columns.map((col, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a column is identified by its depth
            <li key={i} className="stage-col">
              <span className="sr-only">{t('pipeline.step', { n: i + 1 })}</span>
              <ul>
                {col.map((s) => (
                  <StageCard key={s.name} s={s} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
        {layout.missing.length ? (
          <p className="muted small">
            {t('pipeline.unknownDeps', {
              list: layout.missing.map((m) => `${m.stage} → ${m.dependsOn}`).join(', '),
            })}
          </p>
        ) : null}
      </section>
    </>
  );
}

function StageCard({ s }: { s: PipelineStage }) {
  return (
    <li className={`stage stage-${s.status}`} data-testid="stage" data-stage={s.name} data-status={s.status}>
      <div className="stage-head">
        <strong>{s.name}</strong>
        <PipelineBadge status={s.status} />
      </div>
      {s.dependsOn.length ? (
        <div className="muted small">{t('entry.after', { time: s.dependsOn.join(', ') })}</div>
      ) : null}
      <div className="small">
        {s.sessionId ? (
          <a href={href.session(s.sessionId)} aria-label={t('pipeline.openStage', { name: s.name })}>
            {t('title.session', { id: s.sessionId.slice(0, 8) })}
          </a>
        ) : (
          <span className="muted">{t('pipeline.notStarted')}</span>
        )}
      </div>
      {s.startedAt ? (
        <div className="muted small" title={s.startedAt}>
          {t('pipeline.startedAgo', { ago: fmtAgo(s.startedAt) })}
          {s.endedAt ? ` · ${t('pipeline.took', { time: durationText(s.startedAt, s.endedAt) })}` : ''}
        </div>
      ) : null}
      {s.error ? <div className="small tone-text-bad">{s.error}</div> : null}
    </li>
  );
}

function durationText(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const unit = (value: number, u: 'millisecond' | 'second' | 'minute', digits = 0) =>
    new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: u, maximumFractionDigits: digits }).format(
      value,
    );
  return ms < 1000
    ? unit(ms, 'millisecond')
    : ms < 60_000
      ? unit(ms / 1000, 'second', 1)
      : unit(Math.round(ms / 60_000), 'minute');
}
