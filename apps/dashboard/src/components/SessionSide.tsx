import type { Session, SessionHealth, SessionLatency, SessionSummary } from '@aegis/client';
import { useEffect, useState } from 'react';
import { api, errorMessage, useCluster } from '../api.js';
import { intlLocale, t, tp } from '../i18n/index.js';
import { fmtAgo, fmtCost, fmtNumber, fmtTime } from '../lib/format.js';
import { healthSentence } from '../lib/health.js';
import { href } from '../lib/router.js';
import { fmtMs } from '../lib/transcript.js';
import { BudgetState } from './BudgetState.js';
import { ResidencyBadge, StatusBadge } from './bits.js';
import { CommandList } from './CommandList.js';
import { Who } from './Who.js';

/** The session's side panel: status, agent, owner node, usage, health, summary, latency, exit, commands. */
export function SidePanel({ s }: { s: Session }) {
  const { self } = useCluster();
  const u = s.usage;
  const ctx = u.contextUsed !== null && u.contextSize ? u.contextUsed / u.contextSize : null;
  return (
    <aside className="side card" aria-label={t('side.label')}>
      <h2>{t('side.details')}</h2>
      <dl className="kv">
        <dt>{t('side.status')}</dt>
        <dd>
          <StatusBadge status={s.status} /> <ResidencyBadge status={s.status} resident={s.agentResident} />
        </dd>
        <dt>{t('sessions.agent')}</dt>
        <dd>
          {s.agent}
          {s.model ? <span className="muted"> · {s.model}</span> : null}
        </dd>
        <dt>{t('side.mode')}</dt>
        <dd>{s.permissionMode}</dd>
        <dt>{t('sessions.workDir')}</dt>
        <dd className="mono break">{s.workDir}</dd>
        {s.ownerId ? (
          <>
            <dt>{t('side.owner')}</dt>
            <dd data-testid="session-owner">
              <Who id={s.ownerId} />
            </dd>
          </>
        ) : null}
        <dt>{t('side.sandbox')}</dt>
        <dd data-testid="session-sandbox">
          {s.sandbox ? (
            <span
              title={t('side.sandboxTitle', {
                network:
                  s.sandbox.network === 'none'
                    ? t('side.networkNone')
                    : [t('side.theModel'), ...s.sandbox.allowedHosts].join(', '),
              })}
            >
              {t('side.sandboxed')}
              <span className="muted">
                {' '}
                ·{' '}
                {t('side.network', {
                  network: s.sandbox.network === 'none' ? t('side.networkNone') : t('side.networkModel'),
                })}
                {s.sandbox.allowedHosts.length > 0
                  ? ` ${tp('side.hosts', s.sandbox.allowedHosts.length)}`
                  : ''}
              </span>
            </span>
          ) : (
            <span className="muted">{t('side.notSandboxed')}</span>
          )}
        </dd>
        {s.node ? (
          <>
            <dt>{t('sessions.col.node')}</dt>
            <dd data-testid="session-node">
              <a href={href.nodes} className="mono" title={t('side.nodeTitle')}>
                {s.node}
              </a>
              {s.node === self ? <span className="muted"> · {t('common.thisNode')}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t('sessions.col.turns')}</dt>
        <dd>
          {fmtNumber(s.turns)}
          {s.queuedPrompts ? (
            <span className="muted"> · {t('side.queued', { n: s.queuedPrompts })}</span>
          ) : null}
        </dd>
        <dt>{t('side.created')}</dt>
        <dd title={s.createdAt}>{fmtTime(s.createdAt)}</dd>
        <dt>{t('side.lastActivity')}</dt>
        <dd title={s.lastActivityAt}>{fmtAgo(s.lastActivityAt)}</dd>
        <dt>{t('side.id')}</dt>
        <dd className="mono break small">{s.id}</dd>
        {s.parentId ? (
          <>
            <dt>{t('side.parent')}</dt>
            <dd>
              <a href={href.session(s.parentId)} className="mono small">
                {s.parentId.slice(0, 8)}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{t('side.usage')}</h3>
      <dl className="kv">
        <dt>{t('side.tokensInOut')}</dt>
        <dd>
          {fmtNumber(u.inputTokens)} / {fmtNumber(u.outputTokens)}
        </dd>
        <dt>{t('side.cached')}</dt>
        <dd>
          {fmtNumber(u.cachedReadTokens)} / {fmtNumber(u.cachedWriteTokens)}
        </dd>
        <dt>{t('overview.cost')}</dt>
        <dd>{fmtCost(u.costUsd)}</dd>
        {ctx !== null ? (
          <>
            <dt>{t('side.context')}</dt>
            <dd>
              <meter min={0} max={1} value={ctx} aria-label={t('side.contextUsed')} />{' '}
              {new Intl.NumberFormat(intlLocale(), { style: 'percent' }).format(ctx)}
            </dd>
          </>
        ) : null}
      </dl>
      <BudgetState s={s} />
      <Insights s={s} />
      {s.exit ? (
        <>
          <h3>{t('side.exit')}</h3>
          <p className="small">
            {t('side.exitCode', { code: s.exit.exitCode ?? '—' })} {s.exit.signal ? `· ${s.exit.signal}` : ''}
          </p>
          {s.exit.stderrTail ? <pre className="pre small">{s.exit.stderrTail}</pre> : null}
        </>
      ) : null}
      {s.availableCommands.length ? <CommandList commands={s.availableCommands} /> : null}
    </aside>
  );
}

interface InsightData {
  health?: SessionHealth;
  summary?: SessionSummary;
  latency?: SessionLatency;
  error?: string;
}

/** Health, summary and latency, re-read when the session's status or turn count changes. */
function Insights({ s }: { s: Session }) {
  const [d, setD] = useState<InsightData>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on status / turn / activity changes
  useEffect(() => {
    let live = true;
    const t = setTimeout(async () => {
      const [health, summary, latency] = await Promise.allSettled([
        api().getSessionHealth(s.id),
        api().getSessionSummary(s.id),
        api().getSessionLatency(s.id),
      ]);
      if (!live) return;
      const failed = [health, summary, latency].find((r) => r.status === 'rejected');
      setD({
        ...(health.status === 'fulfilled' ? { health: health.value } : {}),
        ...(summary.status === 'fulfilled' ? { summary: summary.value } : {}),
        ...(latency.status === 'fulfilled' ? { latency: latency.value } : {}),
        ...(failed ? { error: errorMessage((failed as PromiseRejectedResult).reason) } : {}),
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [s.id, s.status, s.turns, s.pendingPermission?.requestId, s.pendingQuestion?.questionId]);
  const { health: h, summary: sum, latency: lat } = d;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmtMs(v));
  return (
    <section aria-labelledby="insights-title" data-testid="insights">
      <h3 id="insights-title">{t('side.health')}</h3>
      {d.error && !h ? <p className="small tone-text-bad">{d.error}</p> : null}
      {h ? (
        <>
          <p className="small">
            <span
              className={`chip tone-${h.healthy ? 'ok' : h.alive ? 'warn' : 'muted'}`}
              data-testid="health"
            >
              {h.healthy ? t('side.healthy') : h.alive ? t('side.needsAttention') : t('side.notRunning')}
            </span>{' '}
            {h.idleMs !== null ? (
              <span className="muted">{t('side.idle', { time: fmtMs(h.idleMs) })}</span>
            ) : null}
          </p>
          <p className="small" data-testid="health-text">
            {healthSentence(h)}
          </p>
        </>
      ) : !d.error ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : null}
      {sum ? (
        <>
          <h3>{t('side.summary')}</h3>
          <dl className="kv">
            <dt>{t('sessions.col.turns')}</dt>
            <dd>
              {t('side.turnsOk', { done: sum.turns.completed, total: sum.turns.total })}
              {sum.turns.failed ? `, ${t('side.turnsFailed', { n: sum.turns.failed })}` : ''}
              {sum.turns.cancelled ? `, ${t('side.turnsCancelled', { n: sum.turns.cancelled })}` : ''}
            </dd>
            <dt>{t('side.toolCalls')}</dt>
            <dd>
              {sum.toolCalls.total}
              {Object.keys(sum.toolCalls.byKind).length ? (
                <span className="muted">
                  {' '}
                  ·{' '}
                  {Object.entries(sum.toolCalls.byKind)
                    .map(([k, n]) => `${n} ${k}`)
                    .join(', ')}
                </span>
              ) : null}
            </dd>
            <dt>{t('side.permissions')}</dt>
            <dd>
              {t('side.permissionsText', {
                allowed: sum.permissions.approved,
                rejected: sum.permissions.rejected,
              })}
            </dd>
            <dt>{t('side.questions')}</dt>
            <dd>
              {t('side.questionsText', { answered: sum.questions.answered, asked: sum.questions.asked })}
            </dd>
            {sum.filesTouched.length ? (
              <>
                <dt>{t('side.files')}</dt>
                <dd className="mono small break">{sum.filesTouched.slice(0, 8).join(', ')}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      {lat ? (
        <>
          <h3>{t('side.latency')}</h3>
          <table className="lat small">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">{t('side.measure')}</span>
                </th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">n</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [t('side.latTurn'), lat.turnDurationMs],
                  [t('side.latFirstToken'), lat.timeToFirstTokenMs],
                  [t('side.latPermission'), lat.permissionWaitMs],
                  [t('side.latQuestion'), lat.questionWaitMs],
                ] as const
              ).map(([label, st]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{ms(st.p50)}</td>
                  <td>{ms(st.p95)}</td>
                  <td>{st.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
