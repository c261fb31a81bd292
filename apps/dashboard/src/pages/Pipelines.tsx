import type { Pipeline } from '@aegis/client';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { useToast } from '../components/Toasts.js';
import { fmtAgo, fmtTime } from '../lib/format.js';
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
      {status}
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
        <h1>Pipelines</h1>
        {error && data ? (
          <span className="chip tone-bad" role="status">
            Refresh failed — showing the last data
          </span>
        ) : null}
      </div>
      <CreatePipeline onCreated={refresh} />
      <section className="card" aria-labelledby="pl-title">
        <h2 id="pl-title">All pipelines</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={refresh} />
        ) : loading && !data ? (
          <p className="muted">Loading…</p>
        ) : rows.length === 0 ? (
          <Empty title="No pipelines yet.">
            A pipeline runs named stages, each a session, once the stages it depends on complete. Create one
            above.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{rows.length} pipelines</caption>
              <thead>
                <tr>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stages</th>
                  <th scope="col" className="hide-sm">
                    Created
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
                      <ul className="stage-chips" aria-label={`Stages of ${p.name}`}>
                        {p.stages.map((s) => (
                          <li
                            key={s.name}
                            className={`chip tone-${stageTone(s.status)}`}
                            title={`${s.name}: ${s.status}`}
                            data-status={s.status}
                          >
                            {s.name}
                            <span className="sr-only">: {s.status}</span>
                          </li>
                        ))}
                      </ul>
                      <div className="muted small">
                        {stageCounts(p.stages)
                          .map(([st, n]) => `${n} ${st}`)
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
      toast(`Pipeline ${p.name} started`, 'ok');
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
        <h2>New pipeline</h2>
      </summary>
      <form onSubmit={submit} aria-label="Create a pipeline" className="create-form">
        <label className="field span-all">
          <span>Pipeline name</span>
          <input
            name="name"
            required
            placeholder="build-and-test"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field span-all">
          <span>Stages (JSON)</span>
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
          An array of{' '}
          <code>{'{ "name", "spec": { "workDir", "prompt", "templateId"?, … }, "dependsOn"? }'}</code>. A
          stage completes when its session's first turn ends.{' '}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setStages(exampleStages(localStorage.getItem('aegis.lastWorkDir') ?? ''))}
          >
            Insert example
          </button>
        </p>
        {err ? (
          <p className="form-error span-all" role="alert">
            {err}
          </p>
        ) : null}
        <div className="span-all">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start pipeline'}
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
      ← Pipelines
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
        <p className="muted">Loading pipeline…</p>
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
          created {fmtTime(p.createdAt)}
          {p.endedAt ? ` · ended ${fmtAgo(p.endedAt)}` : ''}
        </span>
      </div>
      {p.error ? (
        <div className="banner tone-bad" role="alert">
          {p.error}
        </div>
      ) : null}
      <section className="card" aria-labelledby="graph-title">
        <h2 id="graph-title">Stages</h2>
        <ol className="stage-graph" aria-label="Stage graph, in dependency order">
          {layout.columns.map((col, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a column is identified by its depth
            <li key={i} className="stage-col">
              <span className="sr-only">Step {i + 1}</span>
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
            Unknown dependencies: {layout.missing.map((m) => `${m.stage} → ${m.dependsOn}`).join(', ')}
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
      {s.dependsOn.length ? <div className="muted small">after {s.dependsOn.join(', ')}</div> : null}
      <div className="small">
        {s.sessionId ? (
          <a href={href.session(s.sessionId)} aria-label={`Open the session of stage ${s.name}`}>
            Session {s.sessionId.slice(0, 8)}
          </a>
        ) : (
          <span className="muted">not started</span>
        )}
      </div>
      {s.startedAt ? (
        <div className="muted small" title={s.startedAt}>
          started {fmtAgo(s.startedAt)}
          {s.endedAt ? ` · took ${durationText(s.startedAt, s.endedAt)}` : ''}
        </div>
      ) : null}
      {s.error ? <div className="small tone-text-bad">{s.error}</div> : null}
    </li>
  );
}

function durationText(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  return ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}
