import type { CreateRoutineRequest, Routine } from '@aegis/client';
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { useToast } from '../components/Toasts.js';
import { t } from '../i18n/index.js';
import { fmtTime } from '../lib/format.js';

/** The words of this form, from the message catalog. */
const text = {
  get formLabel() {
    return t('routines.form');
  },
  get name() {
    return t('routines.name');
  },
  get schedule() {
    return t('routines.col.schedule');
  },
  get scheduleHelp() {
    return t('routines.scheduleHelp');
  },
  get timezone() {
    return t('routines.timezone');
  },
  get workDir() {
    return t('routines.workDir');
  },
  get prompt() {
    return t('routines.prompt');
  },
  get template() {
    return t('routines.template');
  },
  get overlap() {
    return t('routines.overlap');
  },
  get overlapOptions() {
    return {
      skip: t('routines.overlap.skip'),
      queue: t('routines.overlap.queue'),
      allow: t('routines.overlap.allow'),
    };
  },
  get catchUp() {
    return t('routines.catchUp');
  },
  get catchUpOptions() {
    return {
      none: t('routines.catchUp.none'),
      latest: t('routines.catchUp.latest'),
      all: t('routines.catchUp.all'),
    };
  },
  get preview() {
    return t('routines.preview');
  },
  get previewNone() {
    return t('routines.previewNone');
  },
  get create() {
    return t('routines.create');
  },
  get save() {
    return t('routines.save');
  },
  get cancel() {
    return t('routines.cancel');
  },
  get busy() {
    return t('routines.saving');
  },
  created: (name: string) => t('routines.created', { name }),
  saved: (name: string) => t('routines.saved', { name }),
};

type Overlap = NonNullable<CreateRoutineRequest['overlap']>;
type CatchUp = NonNullable<CreateRoutineRequest['catchUp']>;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The target fields the form edits (session or template targets; pipelines are edited over the API). */
function formTarget(r: Routine | undefined) {
  const t = r?.target as Record<string, unknown> | undefined;
  const session = t?.session as { workDir?: string; prompt?: string } | undefined;
  if (session) return { workDir: session.workDir ?? '', prompt: session.prompt ?? '', template: '' };
  if (typeof t?.template === 'string')
    return { workDir: String(t.workDir ?? ''), prompt: String(t.prompt ?? ''), template: t.template };
  return { workDir: localStorage.getItem('aegis.lastWorkDir') ?? '', prompt: '', template: '' };
}

/** Create a routine, or edit one (`editing`), with a live preview of its next fire times. */
export function RoutineForm({ editing, onDone }: { editing?: Routine | undefined; onDone: () => void }) {
  const toast = useToast();
  const initial = formTarget(editing);
  const [name, setName] = useState(editing?.name ?? '');
  const [schedule, setSchedule] = useState(editing?.schedule ?? '0 9 * * 1-5');
  const [timezone, setTimezone] = useState(editing?.timezone ?? browserZone());
  const [workDir, setWorkDir] = useState(initial.workDir);
  const [prompt, setPrompt] = useState(initial.prompt);
  const [template, setTemplate] = useState(initial.template);
  const [overlap, setOverlap] = useState<Overlap>(editing?.overlap ?? 'skip');
  const [catchUp, setCatchUp] = useState<CatchUp>(editing?.catchUp ?? 'latest');
  const [preview, setPreview] = useState<{ times: string[] } | { error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const pipeline = !!editing && 'pipeline' in (editing.target as object);

  useEffect(() => {
    const t = setTimeout(() => {
      api()
        .previewRoutineSchedule({ schedule, timezone })
        .then((p) => setPreview({ times: p.times }))
        .catch((e) => setPreview({ error: errorMessage(e) }));
    }, 300);
    return () => clearTimeout(t);
  }, [schedule, timezone]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    const target: CreateRoutineRequest['target'] = template
      ? { template, workDir, ...(prompt ? { prompt } : {}) }
      : { session: { workDir, ...(prompt ? { prompt } : {}) } };
    const fields = { name, schedule, timezone, overlap, catchUp, ...(pipeline ? {} : { target }) };
    try {
      const r = editing
        ? await api().updateRoutine(editing.id, fields)
        : await api().createRoutine({ ...fields, target });
      toast(editing ? text.saved(r.name) : text.created(r.name), 'ok');
      onDone();
    } catch (error) {
      setErr(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label={text.formLabel} className="create-form" data-testid="routine-form">
      <label className="field">
        <span>{text.name}</span>
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{text.schedule}</span>
        <input
          name="schedule"
          className="mono"
          required
          value={schedule}
          onChange={(e) => setSchedule(e.target.value)}
          aria-describedby="schedule-help"
        />
      </label>
      <p id="schedule-help" className="muted small span-all">
        {text.scheduleHelp}
      </p>
      <label className="field">
        <span>{text.timezone}</span>
        <input name="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} />
      </label>
      {pipeline ? null : (
        <>
          <label className="field">
            <span>{text.workDir}</span>
            <input
              name="workDir"
              className="mono"
              required
              value={workDir}
              onChange={(e) => setWorkDir(e.target.value)}
            />
          </label>
          <label className="field span-all">
            <span>{text.prompt}</span>
            <textarea name="prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
          </label>
          <label className="field">
            <span>{text.template}</span>
            <input name="template" value={template} onChange={(e) => setTemplate(e.target.value)} />
          </label>
        </>
      )}
      <label className="field">
        <span>{text.overlap}</span>
        <select name="overlap" value={overlap} onChange={(e) => setOverlap(e.target.value as Overlap)}>
          {Object.entries(text.overlapOptions).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{text.catchUp}</span>
        <select name="catchUp" value={catchUp} onChange={(e) => setCatchUp(e.target.value as CatchUp)}>
          {Object.entries(text.catchUpOptions).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <section className="span-all" aria-label={text.preview} data-testid="routine-preview">
        <h3 className="small">{text.preview}</h3>
        {preview === null ? null : 'error' in preview ? (
          <p className="form-error" role="status">
            {preview.error}
          </p>
        ) : preview.times.length === 0 ? (
          <p className="muted">{text.previewNone}</p>
        ) : (
          <ol className="small mono">
            {preview.times.map((t) => (
              <li key={t}>{fmtTime(t)}</li>
            ))}
          </ol>
        )}
      </section>
      {err ? (
        <p className="form-error span-all" role="alert">
          {err}
        </p>
      ) : null}
      <div className="span-all">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? text.busy : editing ? text.save : text.create}
        </button>
        {editing ? (
          <button type="button" className="btn" onClick={onDone}>
            {text.cancel}
          </button>
        ) : null}
      </div>
    </form>
  );
}
