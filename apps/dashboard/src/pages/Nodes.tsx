import type { ClusterNode, NodesResponse } from '@aegis/client';
import { api, apiBase } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { fmtAgo, fmtTime } from '../lib/format.js';
import { clusterSummary, heartbeat, leaseText, residentLoad, stateTone } from '../lib/nodes.js';
import { usePoll } from '../lib/usePoll.js';

/** The nodes of the cluster this server belongs to: health and load, refreshed every 3 s. */
export function Nodes() {
  const { data, error, loading, refresh } = usePoll(() => api().listNodes(), 3000);

  if (error && !data)
    return (
      <>
        <h1>Nodes</h1>
        <ErrorState error={error} onRetry={refresh} />
      </>
    );
  if (loading && !data)
    return (
      <>
        <h1>Nodes</h1>
        <p className="muted">Loading…</p>
      </>
    );
  if (!data?.clustered) return <NotClustered />;

  const sum = clusterSummary(data);
  return (
    <>
      <div className="page-head">
        <h1>Nodes</h1>
        {error ? (
          <span className="chip tone-bad" role="status">
            Refresh failed — showing the last data
          </span>
        ) : null}
        {sum.silent ? (
          <span className="chip tone-bad" role="status" data-testid="silent-nodes">
            {sum.silent} node{sum.silent === 1 ? '' : 's'} not heartbeating
          </span>
        ) : null}
      </div>

      <section aria-label="Cluster" className="metrics node-facts">
        <Fact label="Nodes alive" value={`${sum.alive} / ${sum.nodes}`} testId="fact-alive">
          {data.self ? (
            <>
              this node: <span className="mono">{data.self}</span>
            </>
          ) : null}
        </Fact>
        <Fact label="Live sessions" value={String(sum.sessions)} testId="fact-sessions">
          owned by a node, or waiting for one
        </Fact>
        <Fact
          label="Unowned sessions"
          value={String(data.unowned)}
          testId="fact-unowned"
          tone={data.unowned ? 'attn' : undefined}
        >
          a live node adopts them
        </Fact>
        <Fact label="Lease" value={leaseText(data.leaseMs)} testId="fact-lease">
          a silent node keeps its sessions this long
        </Fact>
      </section>

      <section className="card" aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        {data.nodes.length === 0 ? <Empty title="No node has joined yet." /> : <NodeTable data={data} />}
        <p className="muted small">
          Any node serves any request; a command for a session goes to the node that owns it. A node that
          stops heartbeating loses its sessions to the others once the lease runs out.
        </p>
      </section>
    </>
  );
}

function NodeTable({ data }: { data: NodesResponse }) {
  return (
    <div className="table-wrap">
      <table className="table nodes-table">
        <caption className="sr-only">
          {data.nodes.length} node{data.nodes.length === 1 ? '' : 's'} sharing this server’s database
        </caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">State</th>
            <th scope="col">
              Agents <span className="muted">(busy)</span>
            </th>
            <th scope="col" className="num hide-sm">
              Dormant
            </th>
            <th scope="col" className="num">
              Sessions
            </th>
            <th scope="col" className="hide-md">
              Version
            </th>
            <th scope="col" className="hide-md">
              Started
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
              this node
            </span>
          </>
        ) : null}
        <div className="mono muted small break-soft" title="Where the other nodes reach it">
          {n.address}
        </div>
      </th>
      <td>
        <span className={`badge tone-${stateTone(n.state)}`} data-state={n.state}>
          {n.state}
        </span>
        <div className="small" title={`Last heartbeat ${n.heartbeatAt}`} data-testid="heartbeat">
          <span className={`dot tone-${beat.tone}`} aria-hidden="true" /> {beat.label}
          <span className="sr-only">, last heartbeat</span>
          <div className="muted">{beat.age}</div>
        </div>
      </td>
      <td className="small">
        <span title="Agent processes it runs / may run at once">{load.text}</span>
        {load.share !== null ? (
          <div>
            <meter
              min={0}
              max={1}
              value={load.share}
              aria-label={`Agent processes on ${n.id}: ${n.resident} of ${n.capacity}`}
            />
          </div>
        ) : null}
        <div className="muted" data-testid="busy" title="Sessions with a running turn">
          {n.busy} busy
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
      <h1>Nodes</h1>
      <section className="card" data-testid="not-clustered">
        <Empty title="This server is not part of a cluster.">
          <p>
            It keeps its sessions in its own database file. Several Aegis servers form a cluster when they
            share one PostgreSQL database (<code>AEGIS_SESSION_STORE=postgres</code> and{' '}
            <code>AEGIS_POSTGRES_URL</code> on each); each is then a node, and this page lists them with their
            health and load.
          </p>
          <p>
            How to set one up: <code>docs/deployment.md</code>, section “Several nodes”, in the Aegis
            repository. The list itself is <a href={`${apiBase}/v1/docs#/Server/listNodes`}>GET /v1/nodes</a>{' '}
            in the API docs.
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
