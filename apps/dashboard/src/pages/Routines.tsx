import type { Routine, RoutineRun } from '@aegis/client';
import { useState } from 'react';
import { api, errorMessage } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { useToast } from '../components/Toasts.js';
import { intlLocale, t } from '../i18n/index.js';
import { fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import {
  byDay,
  type CalendarItem,
  type CalendarMode,
  calendarDays,
  dayKey,
  inRange,
  shift,
} from '../lib/routines.js';
import { usePoll } from '../lib/usePoll.js';
import { RoutineForm } from './RoutineForm.js';

/** The words of this page, from the message catalog. */
const text = {
  get title() {
    return t('nav.routines');
  },
  get refreshFailed() {
    return t('common.refreshFailed');
  },
  get newRoutine() {
    return t('routines.new');
  },
  get calendar() {
    return t('routines.calendar');
  },
  get month() {
    return t('routines.month');
  },
  get week() {
    return t('routines.week');
  },
  get previous() {
    return t('routines.previous');
  },
  get next() {
    return t('routines.next');
  },
  get today() {
    return t('routines.today');
  },
  get weekdays() {
    // Monday first; 2024-01-01 was a Monday.
    const f = new Intl.DateTimeFormat(intlLocale(), { weekday: 'short' });
    return [1, 2, 3, 4, 5, 6, 7].map((d) => f.format(new Date(2024, 0, d)));
  },
  get upcoming() {
    return t('routines.upcoming');
  },
  get list() {
    return t('routines.list');
  },
  get empty() {
    return t('routines.empty');
  },
  get emptyHelp() {
    return t('routines.emptyHelp');
  },
  get loading() {
    return t('common.loading');
  },
  get columns() {
    return {
      name: t('routines.col.name'),
      schedule: t('routines.col.schedule'),
      next: t('routines.col.next'),
      state: t('sessions.state'),
      actions: t('routines.col.actions'),
    };
  },
  get active() {
    return t('routines.active');
  },
  get paused() {
    return t('routines.paused');
  },
  get pause() {
    return t('routines.pause');
  },
  get resume() {
    return t('routines.resume');
  },
  get runNow() {
    return t('routines.runNow');
  },
  get edit() {
    return t('routines.edit');
  },
  get delete() {
    return t('routines.delete');
  },
  confirmDelete: (name: string) => t('routines.confirmDelete', { name }),
  ran: (name: string) => t('routines.ran', { name }),
  runFailed: (why: string) => t('routines.runFailed', { why }),
  runTitle: (r: CalendarItem) => `${r.label}: ${r.outcome ?? ''} (${fmtTime(r.at)})`,
};

/** Routines with their next fire times (from the preview) and their recent runs. */
async function loadRoutines(): Promise<{ routines: Routine[]; items: CalendarItem[] }> {
  const { routines } = await api().listRoutines({ limit: 100 });
  const items: CalendarItem[] = [];
  await Promise.all(
    routines.map(async (r) => {
      if (r.enabled) {
        const p = await api().previewRoutineSchedule({
          schedule: r.schedule,
          timezone: r.timezone,
          count: 50,
        });
        for (const at of p.times) items.push({ at, kind: 'upcoming', routineId: r.id, label: r.name });
      }
      const { runs } = await api().listRoutineRuns(r.id, { limit: 100 });
      for (const run of runs) items.push(runItem(r, run));
    }),
  );
  return { routines, items };
}

const runItem = (r: Routine, run: RoutineRun): CalendarItem => ({
  at: run.firedAt ?? run.dueAt,
  kind: 'run',
  routineId: r.id,
  label: r.name,
  outcome: run.outcome,
  sessionId: run.sessionId,
  pipelineId: run.pipelineId,
});

export function Routines() {
  const { data, error, loading, refresh } = usePoll(loadRoutines, 5000);
  const [editing, setEditing] = useState<Routine | undefined>(undefined);
  return (
    <>
      <div className="page-head">
        <h1>{text.title}</h1>
        {error && data ? (
          <span className="chip tone-bad" role="status">
            {text.refreshFailed}
          </span>
        ) : null}
      </div>
      <details className="card create" open={editing !== undefined ? true : undefined}>
        <summary>
          <h2>{editing ? editing.name : text.newRoutine}</h2>
        </summary>
        <RoutineForm
          key={editing?.id ?? 'new'}
          editing={editing}
          onDone={() => {
            setEditing(undefined);
            void refresh();
          }}
        />
      </details>
      {error && !data ? (
        <ErrorState error={error} onRetry={refresh} />
      ) : loading && !data ? (
        <p className="muted">{text.loading}</p>
      ) : (
        <>
          <Calendar items={data?.items ?? []} />
          <RoutineTable routines={data?.routines ?? []} onChange={refresh} onEdit={setEditing} />
        </>
      )}
    </>
  );
}

function Calendar({ items }: { items: CalendarItem[] }) {
  const [mode, setMode] = useState<CalendarMode>('month');
  const [anchor, setAnchor] = useState(() => new Date());
  const days = calendarDays(anchor, mode);
  const grouped = byDay(items.filter((i) => inRange(i.at, days)));
  const today = dayKey(new Date());
  const heading = anchor.toLocaleDateString(intlLocale(), { month: 'long', year: 'numeric' });
  return (
    <section className="card" aria-labelledby="rt-cal" data-testid="routine-calendar">
      <div className="page-head">
        <h2 id="rt-cal">
          {text.calendar} · {heading}
        </h2>
        <fieldset className="plain-fieldset" aria-label={text.calendar}>
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={mode === 'month'}
            onClick={() => setMode('month')}
          >
            {text.month}
          </button>
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={mode === 'week'}
            onClick={() => setMode('week')}
          >
            {text.week}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(shift(anchor, mode, -1))}>
            {text.previous}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(new Date())}>
            {text.today}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(shift(anchor, mode, 1))}>
            {text.next}
          </button>
        </fieldset>
      </div>
      <div className="routine-cal" data-mode={mode}>
        {text.weekdays.map((w) => (
          <div key={w} className="routine-cal-head muted small" aria-hidden="true">
            {w}
          </div>
        ))}
        {days.map((d) => {
          const key = dayKey(d);
          const list = grouped.get(key) ?? [];
          const shown = mode === 'month' ? list.slice(0, 4) : list;
          return (
            <div
              key={key}
              className={`routine-cal-day${key === today ? ' today' : ''}${d.getMonth() !== anchor.getMonth() && mode === 'month' ? ' muted' : ''}`}
              data-day={key}
            >
              <div className="small">{d.getDate()}</div>
              <ul>
                {shown.map((i) => (
                  <li key={`${i.kind}-${i.routineId}-${i.at}`} className="small">
                    {i.kind === 'run' && i.sessionId ? (
                      <a
                        href={href.session(i.sessionId)}
                        title={text.runTitle(i)}
                        data-testid="calendar-run"
                        data-outcome={i.outcome}
                      >
                        {timeOf(i.at)} {i.label}
                      </a>
                    ) : i.kind === 'run' && i.pipelineId ? (
                      <a
                        href={href.pipeline(i.pipelineId)}
                        title={text.runTitle(i)}
                        data-testid="calendar-run"
                        data-outcome={i.outcome}
                      >
                        {timeOf(i.at)} {i.label}
                      </a>
                    ) : i.kind === 'run' ? (
                      <span title={text.runTitle(i)} data-testid="calendar-run" data-outcome={i.outcome}>
                        {timeOf(i.at)} {i.label}
                      </span>
                    ) : (
                      <span
                        className="muted"
                        data-testid="calendar-upcoming"
                        title={`${text.upcoming} ${fmtTime(i.at)}`}
                      >
                        {timeOf(i.at)} {i.label}
                      </span>
                    )}
                  </li>
                ))}
                {list.length > shown.length ? (
                  <li className="muted small">+{list.length - shown.length}</li>
                ) : null}
              </ul>
            </div>
          );
        })}
      </div>
    </section>
  );
}

const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(intlLocale(), { hour: '2-digit', minute: '2-digit' });

function RoutineTable({
  routines,
  onChange,
  onEdit,
}: {
  routines: Routine[];
  onChange: () => void;
  onEdit: (r: Routine) => void;
}) {
  const toast = useToast();
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      onChange();
    }
  };
  return (
    <section className="card" aria-labelledby="rt-list">
      <h2 id="rt-list">{text.list}</h2>
      {routines.length === 0 ? (
        <Empty title={text.empty}>{text.emptyHelp}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{text.columns.name}</th>
                <th scope="col">{text.columns.schedule}</th>
                <th scope="col">{text.columns.next}</th>
                <th scope="col">{text.columns.state}</th>
                <th scope="col">{text.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {routines.map((r) => (
                <tr key={r.id} data-testid="routine-row">
                  <td>
                    {r.name}
                    <div className="mono muted small">{r.id.slice(0, 8)}</div>
                  </td>
                  <td className="mono small">
                    {r.schedule} · {r.timezone}
                  </td>
                  <td className="small">{r.nextFireAt ? fmtTime(r.nextFireAt) : '—'}</td>
                  <td>
                    <span className={`badge tone-${r.enabled ? 'ok' : 'muted'}`}>
                      {r.enabled ? text.active : text.paused}
                    </span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        act(() => (r.enabled ? api().pauseRoutine(r.id) : api().resumeRoutine(r.id)))
                      }
                    >
                      {r.enabled ? text.pause : text.resume}
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        act(async () => {
                          const run = await api().runRoutine(r.id);
                          if (run.outcome === 'failed') toast(text.runFailed(run.error ?? ''), 'error');
                          else toast(text.ran(r.name), 'ok');
                        })
                      }
                    >
                      {text.runNow}
                    </button>{' '}
                    <button type="button" className="btn btn-small" onClick={() => onEdit(r)}>
                      {text.edit}
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-small btn-danger-outline"
                      onClick={() => {
                        if (confirm(text.confirmDelete(r.name))) void act(() => api().deleteRoutine(r.id));
                      }}
                    >
                      {text.delete}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
