/**
 * Words and figures for the Nodes page and the owner node shown on sessions, from `GET /v1/nodes`
 * and `Session.node`.
 */
import type { ClusterNode, NodesResponse, Session } from '@aegis/client';
import { t } from '../i18n/index.js';
import { TERMINAL } from './format.js';

export type NodeTone = 'ok' | 'warn' | 'bad' | 'muted';

/** `active` is the normal case; `draining` (SIGTERM, handing its sessions over); `gone` (stopped cleanly). */
export function stateTone(state: ClusterNode['state']): NodeTone {
  switch (state) {
    case 'active':
      return 'ok';
    case 'draining':
      return 'warn';
    case 'gone':
      return 'muted';
    default:
      return assertNever(state);
  }
}

/** A duration as the largest whole unit: `<1 s`, `12 s`, `4 min`, `3 h`, `2 d`. */
export function fmtAge(ms: number): string {
  if (ms < 1000) return '<1 s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/**
 * Whether a node is heartbeating, in words: `alive` within the lease; a node that stopped cleanly is
 * `stopped`; any other silent node is `silent` — bad news, its sessions go to another node once the
 * lease runs out.
 */
export function heartbeat(n: Pick<ClusterNode, 'alive' | 'state' | 'heartbeatAgeMs'>): {
  label: 'alive' | 'silent' | 'stopped';
  tone: NodeTone;
  age: string;
} {
  const age = t('nodes.ago', { age: fmtAge(Math.max(0, n.heartbeatAgeMs)) });
  if (n.alive) return { label: 'alive', tone: 'ok', age };
  if (n.state === 'gone') return { label: 'stopped', tone: 'muted', age };
  return { label: 'silent', tone: 'bad', age };
}

/** Agent processes against the node's limit, as `2 / 8`, and the share for a meter (null without a limit). */
export function residentLoad(n: Pick<ClusterNode, 'resident' | 'capacity'>): {
  text: string;
  share: number | null;
} {
  return {
    text: `${n.resident} / ${n.capacity}`,
    share: n.capacity > 0 ? Math.min(1, n.resident / n.capacity) : null,
  };
}

/** The lease in seconds (`30 s`), or `—` when the server did not say. */
export function leaseText(ms: number | null): string {
  if (ms === null) return '—';
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Counts for the page head: nodes alive, silent (not alive, not stopped) and their sessions. */
export function clusterSummary(r: Pick<NodesResponse, 'nodes' | 'unowned'>): {
  nodes: number;
  alive: number;
  silent: number;
  sessions: number;
} {
  let alive = 0;
  let silent = 0;
  let sessions = r.unowned;
  for (const n of r.nodes) {
    if (n.alive) alive++;
    else if (n.state !== 'gone') silent++;
    sessions += n.sessions;
  }
  return { nodes: r.nodes.length, alive, silent, sessions };
}

/**
 * The owner node of a session as shown in a list: its id; `unowned` for a live session no node
 * holds right now (waiting to be adopted); `—` for an ended one.
 */
export function ownerText(s: Pick<Session, 'node' | 'status'>): string {
  if (s.node) return s.node;
  return TERMINAL.has(s.status) ? '—' : t('nodes.unownedOne');
}

/** Whether the sessions list has a Node column: on a cluster, or when any session names a node. */
export function showsNodes(clustered: boolean, sessions: readonly Pick<Session, 'node'>[]): boolean {
  return clustered || sessions.some((s) => s.node !== null);
}

function assertNever(x: never): never {
  throw new Error(`Unexpected node state: ${String(x)}`);
}
