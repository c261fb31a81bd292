import type { Session } from '@aegis/client';
import { useEffect, useRef, useState } from 'react';
import { api, listAllSessions } from '../api.js';
import { Empty, ErrorState, Sparkline, StatusBadge, TruncatedChip } from '../components/bits.js';
import { ChannelHealth } from '../components/ChannelHealth.js';
import { t } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
import { lastDays, lastDaysSeries } from '../lib/cost.js';
import {
  ALL_STATES,
  createdPerDay,
  fmtAgo,
  fmtCost,
  fmtNumber,
  needsHuman,
  sessionName,
  shortPath,
  statusLabel,
  statusTone,
} from '../lib/format.js';
import { type TurnsTodayCache, turnsToday } from '../lib/overview.js';
import { href } from '../lib/router.js';
import { usePoll } from '../lib/usePoll.js';

export function Overview() {
  const { data, error, loading, refresh } = usePoll(listAllSessions, 3000);
  const sessions = data?.sessions ?? [];
  const today = useTurnsToday(sessions);
  const usage = usePoll(loadUsage, 15_000);

  if (error && !data) return <ErrorState error={error} onRetry={refresh} />;

  const byState = new Map<string, number>();
  for (const s of sessions) byState.set(s.status, (byState.get(s.status) ?? 0) + 1);
  const waiting = sessions.reduce(
    (n, s) => n + (s.pendingPermissionCount || (s.pendingPermission ? 1 : 0)),
    0,
  );
  const tokens = sessions.reduce((n, s) => n + s.usage.totalTokens, 0);
  const costKnown = sessions.some((s) => s.usage.costUsd !== null);
  const cost = sessions.reduce((n, s) => n + (s.usage.costUsd ?? 0), 0);
  const turns = sessions.reduce((n, s) => n + s.turns, 0);
  const live = sessions.filter((s) => !['completed', 'killed', 'crashed'].includes(s.status)).length;
  const needHuman = sessions
    .filter(needsHuman)
    .sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt));
  const perDay = createdPerDay(sessions, 14);
  const { tokens: tokensPerDay, cost: costPerDay } = lastDaysSeries(usage.data?.groups ?? []);

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.overview')}</h1>
        {error ? (
          <span className="chip tone-bad" role="status">
            {t('common.refreshFailed')}
          </span>
        ) : null}
        {data?.truncated ? <TruncatedChip shown={sessions.length} total={data.total} /> : null}
      </div>

      <section aria-labelledby="attn-title" className="card attn">
        <h2 id="attn-title">
          {t('overview.needsYou')} <span className="count">{needHuman.length}</span>
        </h2>
        {loading && !data ? (
          <p className="muted">{t('common.loading')}</p>
        ) : needHuman.length === 0 ? (
          <Empty title={t('overview.nothingWaiting')}>{t('overview.nothingWaitingHelp')}</Empty>
        ) : (
          <ul className="attn-list">
            {needHuman.map((s) => (
              <AttnRow key={s.id} s={s} />
            ))}
          </ul>
        )}
      </section>

      <section aria-label={t('overview.metrics')} className="metrics">
        <Metric
          label={t('overview.live')}
          value={fmtNumber(live)}
          sub={t('overview.total', { n: sessions.length })}
          testId="metric-live"
        >
          <Sparkline values={perDay} label={t('overview.createdSpark', { values: perDay.join(', ') })} />
          <span className="muted small">{t('overview.createdPerDay')}</span>
        </Metric>
        <Metric
          label={t('overview.waiting')}
          testId="metric-waiting"
          value={fmtNumber(waiting)}
          tone={waiting ? 'attn' : undefined}
        />
        <Metric
          label={t('overview.turnsToday')}
          value={today.count === null ? '—' : fmtNumber(today.count)}
          sub={today.failed ? t('overview.unreadable') : t('overview.inAll', { n: fmtNumber(turns) })}
          testId="metric-turns-today"
        />
        <Metric
          label={t('overview.tokens')}
          value={fmtNumber(tokens)}
          sub={t('overview.turns', { n: fmtNumber(turns) })}
          testId="metric-tokens"
        >
          <Sparkline
            values={tokensPerDay}
            label={t('overview.tokensSpark', { values: tokensPerDay.join(', ') })}
          />
          <span className="muted small">{t('overview.perUtcDay')}</span>
        </Metric>
        <Metric
          label={t('overview.cost')}
          value={costKnown ? fmtCost(cost) : '—'}
          sub={costKnown ? t('overview.costReported') : t('overview.costNotReported')}
          testId="metric-cost"
        >
          <Sparkline
            values={costPerDay}
            label={t('overview.costSpark', { values: costPerDay.map((c) => c.toFixed(4)).join(', ') })}
          />
          <span className="muted small">{t('overview.perUtcDay')}</span>
        </Metric>
      </section>

      <section aria-labelledby="states-title" className="card">
        <h2 id="states-title">{t('overview.byState')}</h2>
        {sessions.length === 0 && !loading ? (
          <Empty title={t('common.noSessionsYet')}>
            {tr('overview.createOne', {
              link: <a href={href.sessions}>{t('overview.createOneLink')}</a>,
              cmd: <code>ag run "…"</code>,
            })}
          </Empty>
        ) : (
          <ul className="state-bars">
            {ALL_STATES.filter((st) => byState.get(st)).map((st) => {
              const n = byState.get(st) ?? 0;
              return (
                <li key={st}>
                  <span className={`dot tone-${statusTone(st)}`} aria-hidden="true" />
                  <span className="state-name">{statusLabel(st)}</span>
                  <span className="bar" aria-hidden="true">
                    <span
                      className={`bar-fill tone-${statusTone(st)}`}
                      style={{ width: `${(n / sessions.length) * 100}%` }}
                    />
                  </span>
                  <span className="state-n">{n}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <ChannelHealth />
    </>
  );
}

/** Tokens and cost per UTC day over the last 14 days, from the usage ledger. */
const loadUsage = () => api().getUsage({ ...lastDays(14), groupBy: 'day' });

function AttnRow({ s }: { s: Session }) {
  return (
    <li>
      <a href={href.session(s.id)} className="attn-row">
        <StatusBadge status={s.status} />
        <span className="attn-name">{sessionName(s)}</span>
        <span className="attn-what">
          {s.pendingPermission
            ? t('overview.wantsTo', { what: s.pendingPermission.title })
            : (s.problem?.message ?? '')}
        </span>
        <span className="mono muted small" title={s.workDir}>
          {shortPath(s.workDir)}
        </span>
        <span className="muted small">{fmtAgo(s.lastActivityAt)}</span>
      </a>
    </li>
  );
}

function Metric({
  label,
  value,
  sub,
  tone,
  testId,
  children,
}: {
  label: string;
  value: string;
  sub?: string;
  tone?: string | undefined;
  testId: string;
  children?: React.ReactNode;
}) {
  return (
    <div className={`card metric ${tone ? `metric-${tone}` : ''}`} data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value" data-testid="metric-value">
        {value}
      </div>
      {sub ? <div className="muted small">{sub}</div> : null}
      {children}
    </div>
  );
}

/**
 * Turns started today, re-counted when a session's turn count moves (unchanged sessions come from
 * the cache). `count` is null until the first count; a failure keeps the last one.
 */
function useTurnsToday(sessions: readonly Session[]): { count: number | null; failed: boolean } {
  const [state, setState] = useState<{ count: number | null; failed: boolean }>({
    count: null,
    failed: false,
  });
  const cache = useRef<TurnsTodayCache>(new Map());
  const key = sessions.map((s) => `${s.id}:${s.turns}:${s.lastActivityAt.slice(0, 10)}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` captures what the count depends on
  useEffect(() => {
    let live = true;
    const c = api();
    turnsToday(
      sessions,
      (id, before) =>
        c.getTranscriptPage(id, {
          role: 'user',
          limit: 200,
          ...(before !== undefined ? { before_id: before } : {}),
        }),
      cache.current,
    ).then(
      (count) => live && setState({ count, failed: false }),
      () => live && setState((st) => ({ count: st.count, failed: true })),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
