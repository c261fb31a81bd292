import type { Session, UsageGroup } from '@aegis/client';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { BudgetBadge } from '../components/BudgetState.js';
import { Empty, ErrorState } from '../components/bits.js';
import { useToast } from '../components/Toasts.js';
import { Who } from '../components/Who.js';
import { intlLocale, t } from '../i18n/index.js';
import {
  byCost,
  daysBetween,
  lastDays,
  MAX_RANGE_DAYS,
  perDay,
  rangeProblem,
  usageFileName,
} from '../lib/cost.js';
import { downloadText } from '../lib/download.js';
import { fmtCost, sessionName } from '../lib/format.js';
import { href } from '../lib/router.js';
import { usePoll } from '../lib/usePoll.js';

type Range = { from: string; to: string };
/** The costliest sessions listed. */
const TOP = 10;

interface CostData {
  range: Range;
  totals: UsageGroup;
  days: UsageGroup[];
  keys: UsageGroup[];
  templates: UsageGroup[];
  models: UsageGroup[];
  top: { group: UsageGroup; session: Session | null }[];
}

async function loadCost(range: Range): Promise<CostData> {
  const c = api();
  const get = (groupBy: string, limit?: number) =>
    c.getUsage({ ...range, groupBy, ...(limit ? { limit: String(limit) } : {}) });
  const [days, keys, templates, models, sessions] = await Promise.all([
    get('day'),
    get('key'),
    get('template'),
    get('model'),
    get('session', TOP),
  ]);
  // The ledger keeps a turn after its session is deleted: such a row links nowhere.
  const found = await Promise.allSettled(sessions.groups.map((g) => c.getSession(g.session ?? '')));
  return {
    range,
    totals: days.totals,
    days: days.groups,
    keys: byCost(keys.groups),
    templates: byCost(templates.groups),
    models: byCost(models.groups),
    top: sessions.groups.map((group, i) => {
      const r = found[i];
      return { group, session: r?.status === 'fulfilled' ? r.value : null };
    }),
  };
}

const exact = (n: number) => new Intl.NumberFormat(intlLocale()).format(n);

export default function Cost() {
  const toast = useToast();
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const [draft, setDraft] = useState<Range>(range);
  const { data, error, loading, refresh } = usePoll(() => loadCost(range), 30_000);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range loads at once (the first with the poll)
  useEffect(() => {
    if (first.current) first.current = false;
    else void refresh();
  }, [range]);

  const problem = rangeProblem(draft.from, draft.to);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!problem) setRange(draft);
  };
  const preset = (days: number) => {
    const r = lastDays(days);
    setDraft(r);
    setRange(r);
  };
  const exportCsv = async () => {
    try {
      const csv = await api().exportUsage({ ...range, groupBy: 'day,key,template,model' });
      const file = usageFileName(range.from, range.to);
      downloadText(csv, file, 'text/csv;charset=utf-8');
      toast(t('cost.exported', { file }), 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  if (error && !data) return <ErrorState error={error} onRetry={refresh} />;
  const shown = data?.range.from === range.from && data.range.to === range.to ? data : undefined;

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.cost')}</h1>
        {error ? (
          <span className="chip tone-bad" role="status">
            {t('common.refreshFailed')}
          </span>
        ) : null}
        <button type="button" className="btn" onClick={() => void exportCsv()} data-testid="cost-export">
          {t('cost.exportCsv')}
        </button>
      </div>
      <p className="muted small">{t('cost.note')}</p>
      <form className="card filters" onSubmit={apply} aria-label={t('cost.range')} data-testid="cost-range">
        <label className="field">
          <span>{t('cost.from')}</span>
          <input
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'cost-range-error' : undefined}
          />
        </label>
        <label className="field">
          <span>{t('cost.to')}</span>
          <input
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'cost-range-error' : undefined}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!!problem}>
          {t('cost.show')}
        </button>
        {([7, 30, 90] as const).map((n) => (
          <button key={n} type="button" className="btn btn-small" onClick={() => preset(n)}>
            {t(`cost.last${n}`)}
          </button>
        ))}
        {problem ? (
          <p id="cost-range-error" className="form-error" role="alert">
            {problem === 'format'
              ? t('cost.rangeFormat')
              : problem === 'order'
                ? t('cost.rangeOrder')
                : t('cost.rangeTooLong', { n: MAX_RANGE_DAYS })}
          </p>
        ) : null}
      </form>
      {!shown ? (
        loading || !error ? (
          <p className="muted">{t('common.loading')}</p>
        ) : null
      ) : shown.totals.turns === 0 ? (
        <Empty title={t('cost.noUsage')}>{t('cost.noUsageHelp')}</Empty>
      ) : (
        <CostBody d={shown} />
      )}
    </>
  );
}

function CostBody({ d }: { d: CostData }) {
  const { from, to } = d.range;
  const spend = perDay(d.days, from, to, (g) => g.costUsd);
  const tokens = perDay(d.days, from, to, (g) => g.totalTokens);
  const days = daysBetween(from, to);
  return (
    <>
      <section aria-label={t('cost.totals')} className="metrics" data-testid="cost-totals">
        <Figure label={t('cost.spend')} value={fmtCost(d.totals.costUsd)} testId="cost-spend" />
        <Figure label={t('cost.tokens')} value={exact(d.totals.totalTokens)} testId="cost-tokens" />
        <Figure label={t('cost.turns')} value={exact(d.totals.turns)} testId="cost-turns" />
      </section>
      <div className="cost-charts">
        <section className="card" aria-labelledby="spend-day-title">
          <h2 id="spend-day-title">{t('cost.spendByDay')}</h2>
          <DayBars
            days={days}
            values={spend}
            show={fmtCost}
            label={t('cost.spendChart', { from, to, values: spend.map((v) => v.toFixed(4)).join(', ') })}
            testId="spend-bars"
          />
        </section>
        <section className="card" aria-labelledby="tokens-day-title">
          <h2 id="tokens-day-title">{t('cost.tokensByDay')}</h2>
          <DayBars
            days={days}
            values={tokens}
            show={exact}
            label={t('cost.tokensChart', { from, to, values: tokens.join(', ') })}
            testId="tokens-bars"
          />
        </section>
      </div>
      <UsageTable
        id="by-key"
        title={t('cost.byKey')}
        column={t('cost.col.key')}
        rows={d.keys}
        name={(g) => (g.key ? <Who id={g.key} /> : <span className="muted">{t('cost.localUser')}</span>)}
      />
      <UsageTable
        id="by-template"
        title={t('cost.byTemplate')}
        column={t('cost.col.template')}
        rows={d.templates}
        name={(g) => g.template ?? <span className="muted">{t('cost.noTemplate')}</span>}
      />
      <UsageTable
        id="by-model"
        title={t('cost.byModel')}
        column={t('cost.col.model')}
        rows={d.models}
        name={(g) => g.model ?? <span className="muted">{t('cost.noModel')}</span>}
      />
      <UsageTable
        id="top-sessions"
        title={t('cost.topSessions')}
        column={t('cost.col.session')}
        rows={d.top.map((x) => x.group)}
        name={(g, i) => {
          const s = d.top[i]?.session;
          return s ? (
            <a className="row-link" href={href.session(s.id)}>
              {sessionName(s)}
            </a>
          ) : (
            <span className="mono" title={g.session}>
              {(g.session ?? '').slice(0, 8)} <span className="muted">· {t('cost.gone')}</span>
            </span>
          );
        }}
        budget={(i) => {
          const s = d.top[i]?.session;
          return s ? <BudgetBadge s={s} /> : null;
        }}
      />
    </>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="card metric" data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value" data-testid="metric-value">
        {value}
      </div>
    </div>
  );
}

/** One bar per day, scaled to the busiest; each bar's tooltip gives its day and figure. */
function DayBars({
  days,
  values,
  show,
  label,
  testId,
}: {
  days: string[];
  values: number[];
  show: (v: number) => string;
  label: string;
  testId: string;
}) {
  const max = Math.max(...values, 0) || 1;
  const w = Math.max(1, values.length);
  return (
    <svg
      className="day-bars"
      viewBox={`0 0 ${w} 40`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid={testId}
    >
      {values.map((v, i) => (
        <rect key={days[i]} x={i + 0.1} width={0.8} y={40 - (v / max) * 40} height={(v / max) * 40}>
          <title>{`${days[i]}: ${show(v)}`}</title>
        </rect>
      ))}
    </svg>
  );
}

function UsageTable({
  id,
  title,
  column,
  rows,
  name,
  budget,
}: {
  id: string;
  title: string;
  column: string;
  rows: UsageGroup[];
  name: (g: UsageGroup, i: number) => ReactNode;
  budget?: (i: number) => ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="num hide-sm">
                {t('cost.col.turns')}
              </th>
              <th scope="col" className="num">
                {t('cost.col.tokens')}
              </th>
              <th scope="col" className="num">
                {t('cost.col.cost')}
              </th>
              {budget ? <th scope="col">{t('cost.col.budget')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((g, i) => (
              <tr key={String(g.key ?? g.template ?? g.model ?? g.session ?? null)}>
                <td>{name(g, i)}</td>
                <td className="num hide-sm">{exact(g.turns)}</td>
                <td className="num">{exact(g.totalTokens)}</td>
                <td className="num">{fmtCost(g.costUsd)}</td>
                {budget ? <td>{budget(i)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
