import type { ClusterNode, NodesResponse } from '@aegis/client';
import { api, apiBase } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { t, tp } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
import { fmtAgo, fmtTime } from '../lib/format.js';
import { clusterSummary, heartbeat, leaseText, residentLoad, stateTone } from '../lib/nodes.js';
import { usePoll } from '../lib/usePoll.js';

/** The nodes of the cluster this server belongs to: health and load, refreshed every 3 s. */
export function Nodes() {
  const { data, error, loading, refresh } = usePoll(() => api().listNodes(), 3000);

  if (error && !data)
    return (
      <>
        <h1>{t('nav.nodes')}</h1>
        <ErrorState error={error} onRetry={refresh} />
      </>
    );
  if (loading && !data)
    return (
      <>
        <h1>{t('nav.nodes')}</h1>
        <p className="muted">{t('common.loading')}</p>
      </>
    );
  if (!data?.clustered) return <NotClustered />;

  const sum = clusterSummary(data);
  return (
    <>
      <div className="page-head">
        <h1>{t('nav.nodes')}</h1>
        {error ? (
          <span className="chip tone-bad" role="status">
            {t('common.refreshFailed')}
          </span>
        ) : null}
        {sum.silent ? (
          <span className="chip tone-bad" role="status" data-testid="silent-nodes">
            {tp('nodes.silent', sum.silent)}
          </span>
        ) : null}
      </div>

      <section aria-label={t('nodes.cluster')} className="metrics node-facts">
        <Fact label={t('nodes.alive')} value={`${sum.alive} / ${sum.nodes}`} testId="fact-alive">
          {data.self ? tr('nodes.thisNode', { id: <span className="mono">{data.self}</span> }) : null}
        </Fact>
        <Fact label={t('overview.live')} value={String(sum.sessions)} testId="fact-sessions">
          {t('nodes.liveHelp')}
        </Fact>
        <Fact
          label={t('nodes.unowned')}
          value={String(data.unowned)}
          testId="fact-unowned"
          tone={data.unowned ? 'attn' : undefined}
        >
          {t('nodes.unownedHelp')}
        </Fact>
        <Fact label={t('nodes.lease')} value={leaseText(data.leaseMs)} testId="fact-lease">
          {t('nodes.leaseHelp')}
        </Fact>
      </section>

      <section className="card" aria-labelledby="nodes-title">
        <h2 id="nodes-title">{t('nav.nodes')}</h2>
        {data.nodes.length === 0 ? <Empty title={t('nodes.none')} /> : <NodeTable data={data} />}
        <p className="muted small">{t('nodes.help')}</p>
      </section>
    </>
  );
}

function NodeTable({ data }: { data: NodesResponse }) {
  return (
    <div className="table-wrap">
      <table className="table nodes-table">
        <caption className="sr-only">{tp('nodes.caption', data.nodes.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sessions.col.node')}</th>
            <th scope="col">{t('sessions.state')}</th>
            <th scope="col">
              {t('nodes.agents')} <span className="muted">{t('nodes.busyParen')}</span>
            </th>
            <th scope="col" className="num hide-sm">
              {t('nodes.dormant')}
            </th>
            <th scope="col" className="num">
              {t('nav.sessions')}
            </th>
            <th scope="col" className="hide-md">
              {t('nodes.version')}
            </th>
            <th scope="col" className="hide-md">
              {t('nodes.started')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.nodes.map((n) => (
            <NodeRow key={n.id} n={n} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NodeRow({ n }: { n: ClusterNode }) {
  const beat = heartbeat(n);
  const load = residentLoad(n);
  return (
    <tr data-testid="node-row" data-node={n.id}>
      <th scope="row" className="node-cell">
        <span className="mono">{n.id}</span>
        {n.self ? (
          <>
            {' '}
            <span className="badge tone-busy" data-testid="self-node">
              {t('common.thisNode')}
            </span>
          </>
        ) : null}
        <div className="mono muted small break-soft" title={t('nodes.addressTitle')}>
          {n.address}
        </div>
      </th>
      <td>
        <span className={`badge tone-${stateTone(n.state)}`} data-state={n.state}>
          {t(`nodes.state.${n.state}`)}
        </span>
        <div
          className="small"
          title={t('nodes.lastBeatTitle', { at: n.heartbeatAt })}
          data-testid="heartbeat"
        >
          <span className={`dot tone-${beat.tone}`} aria-hidden="true" /> {t(`nodes.beat.${beat.label}`)}
          <span className="sr-only">, {t('nodes.lastBeat')}</span>
          <div className="muted">{beat.age}</div>
        </div>
      </td>
      <td className="small">
        <span title={t('nodes.loadTitle')}>{load.text}</span>
        {load.share !== null ? (
          <div>
            <meter
              min={0}
              max={1}
              value={load.share}
              aria-label={t('nodes.meter', { id: n.id, n: n.resident, of: n.capacity })}
            />
          </div>
        ) : null}
        <div className="muted" data-testid="busy" title={t('nodes.busyTitle')}>
          {t('nodes.busy', { n: n.busy })}
        </div>
      </td>
      <td className="num hide-sm">{n.dormant}</td>
      <td className="num">{n.sessions}</td>
      <td className="mono small hide-md">{n.version ?? '—'}</td>
      <td className="small hide-md" title={n.startedAt ?? undefined}>
        {n.startedAt ? (
          <>
            {fmtTime(n.startedAt)}
            <div className="muted">{fmtAgo(n.startedAt)}</div>
          </>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

function NotClustered() {
  return (
    <>
      <h1>{t('nav.nodes')}</h1>
      <section className="card" data-testid="not-clustered">
        <Empty title={t('nodes.notClustered')}>
          <p>
            {tr('nodes.notClusteredWhy', {
              store: <code>AEGIS_SESSION_STORE=postgres</code>,
              url: <code>AEGIS_POSTGRES_URL</code>,
            })}
          </p>
          <p>
            {tr('nodes.howTo', {
              doc: <code>docs/deployment.md</code>,
              api: <a href={`${apiBase}/v1/docs#/Server/listNodes`}>GET /v1/nodes</a>,
            })}
          </p>
        </Empty>
      </section>
    </>
  );
}

function Fact({
  label,
  value,
  testId,
  tone,
  children,
}: {
  label: string;
  value: string;
  testId: string;
  tone?: 'attn' | undefined;
  children?: React.ReactNode;
}) {
  return (
    <div className={`card metric ${tone ? `metric-${tone}` : ''}`} data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value" data-testid="metric-value">
        {value}
      </div>
      {children ? <div className="muted small">{children}</div> : null}
    </div>
  );
}
