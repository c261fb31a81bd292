import type { Session, SessionHealth, SessionLatency, SessionSummary } from '@aegis/client';
import { useEffect, useState } from 'react';
import { api, errorMessage, useCluster } from '../api.js';
import { fmtAgo, fmtCost, fmtNumber, fmtTime } from '../lib/format.js';
import { healthSentence } from '../lib/health.js';
import { href } from '../lib/router.js';
import { fmtMs } from '../lib/transcript.js';
import { ResidencyBadge, StatusBadge } from './bits.js';
import { CommandList } from './CommandList.js';
import { Who } from './Who.js';

/** The session's side panel: status, agent, owner node, usage, health, summary, latency, exit, commands. */
export function SidePanel({ s }: { s: Session }) {
  const { self } = useCluster();
  const u = s.usage;
  const ctx = u.contextUsed !== null && u.contextSize ? u.contextUsed / u.contextSize : null;
  return (
    <aside className="side card" aria-label="Session details">
      <h2>Details</h2>
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={s.status} /> <ResidencyBadge status={s.status} resident={s.agentResident} />
        </dd>
        <dt>Agent</dt>
        <dd>
          {s.agent}
          {s.model ? <span className="muted"> · {s.model}</span> : null}
        </dd>
        <dt>Mode</dt>
        <dd>{s.permissionMode}</dd>
        <dt>workDir</dt>
        <dd className="mono break">{s.workDir}</dd>
        {s.ownerId ? (
          <>
            <dt>Owner</dt>
            <dd data-testid="session-owner">
              <Who id={s.ownerId} />
            </dd>
          </>
        ) : null}
        <dt>Sandbox</dt>
        <dd data-testid="session-sandbox">
          {s.sandbox ? (
            <span
              title={`Confined to its workDir with a private HOME; network: ${
                s.sandbox.network === 'none' ? 'none' : ['the model', ...s.sandbox.allowedHosts].join(', ')
              }`}
            >
              sandboxed
              <span className="muted">
                {' '}
                · network {s.sandbox.network === 'none' ? 'none' : 'model'}
                {s.sandbox.allowedHosts.length > 0 ? ` + ${s.sandbox.allowedHosts.length} hosts` : ''}
              </span>
            </span>
          ) : (
            <span className="muted">not sandboxed</span>
          )}
        </dd>
        {s.node ? (
          <>
            <dt>Node</dt>
            <dd data-testid="session-node">
              <a
                href={href.nodes}
                className="mono"
                title="The server (node) that owns this session and runs its agent"
              >
                {s.node}
              </a>
              {s.node === self ? <span className="muted"> · this node</span> : null}
            </dd>
          </>
        ) : null}
        <dt>Turns</dt>
        <dd>
          {s.turns}
          {s.queuedPrompts ? <span className="muted"> · {s.queuedPrompts} queued</span> : null}
        </dd>
        <dt>Created</dt>
        <dd title={s.createdAt}>{fmtTime(s.createdAt)}</dd>
        <dt>Last activity</dt>
        <dd title={s.lastActivityAt}>{fmtAgo(s.lastActivityAt)}</dd>
        <dt>Id</dt>
        <dd className="mono break small">{s.id}</dd>
        {s.parentId ? (
          <>
            <dt>Parent</dt>
            <dd>
              <a href={href.session(s.parentId)} className="mono small">
                {s.parentId.slice(0, 8)}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Usage</h3>
      <dl className="kv">
        <dt>Tokens in / out</dt>
        <dd>
          {fmtNumber(u.inputTokens)} / {fmtNumber(u.outputTokens)}
        </dd>
        <dt>Cached r / w</dt>
        <dd>
          {fmtNumber(u.cachedReadTokens)} / {fmtNumber(u.cachedWriteTokens)}
        </dd>
        <dt>Cost</dt>
        <dd>{fmtCost(u.costUsd)}</dd>
        {ctx !== null ? (
          <>
            <dt>Context</dt>
            <dd>
              <meter min={0} max={1} value={ctx} aria-label="Context window used" /> {Math.round(ctx * 100)}%
            </dd>
          </>
        ) : null}
      </dl>
      <Insights s={s} />
      {s.exit ? (
        <>
          <h3>Agent exit</h3>
          <p className="small">
            code {s.exit.exitCode ?? '—'} {s.exit.signal ? `· ${s.exit.signal}` : ''}
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
      <h3 id="insights-title">Health</h3>
      {d.error && !h ? <p className="small tone-text-bad">{d.error}</p> : null}
      {h ? (
        <>
          <p className="small">
            <span
              className={`chip tone-${h.healthy ? 'ok' : h.alive ? 'warn' : 'muted'}`}
              data-testid="health"
            >
              {h.healthy ? 'healthy' : h.alive ? 'needs attention' : 'agent not running'}
            </span>{' '}
            {h.idleMs !== null ? <span className="muted">idle {fmtMs(h.idleMs)}</span> : null}
          </p>
          <p className="small" data-testid="health-text">
            {healthSentence(h)}
          </p>
        </>
      ) : !d.error ? (
        <p className="muted small">Loading…</p>
      ) : null}
      {sum ? (
        <>
          <h3>Summary</h3>
          <dl className="kv">
            <dt>Turns</dt>
            <dd>
              {sum.turns.completed}/{sum.turns.total} ok
              {sum.turns.failed ? `, ${sum.turns.failed} failed` : ''}
              {sum.turns.cancelled ? `, ${sum.turns.cancelled} cancelled` : ''}
            </dd>
            <dt>Tool calls</dt>
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
            <dt>Permissions</dt>
            <dd>
              {sum.permissions.approved} allowed · {sum.permissions.rejected} rejected
            </dd>
            <dt>Questions</dt>
            <dd>
              {sum.questions.answered}/{sum.questions.asked} answered
            </dd>
            {sum.filesTouched.length ? (
              <>
                <dt>Files</dt>
                <dd className="mono small break">{sum.filesTouched.slice(0, 8).join(', ')}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      {lat ? (
        <>
          <h3>Latency</h3>
          <table className="lat small">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Measure</span>
                </th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">n</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['Turn', lat.turnDurationMs],
                  ['First token', lat.timeToFirstTokenMs],
                  ['Permission wait', lat.permissionWaitMs],
                  ['Question wait', lat.questionWaitMs],
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
