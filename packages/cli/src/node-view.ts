import type { ClusterNode, NodesResponse } from '@aegis/client';
import { paint, plain } from './output.js';

/** A duration as its largest whole unit: `<1s`, `12s`, `4m`, `3h`, `2d`. */
export function fmtAge(ms: number): string {
  if (ms < 1000) return '<1s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** `alive` within the lease; a node that stopped cleanly is `stopped`; any other silent node `silent`. */
export function heartbeatWord(n: Pick<ClusterNode, 'alive' | 'state'>): 'alive' | 'stopped' | 'silent' {
  if (n.alive) return 'alive';
  return n.state === 'gone' ? 'stopped' : 'silent';
}

const STATE_COLOR: Record<ClusterNode['state'], (s: string) => string> = {
  active: paint.green,
  draining: paint.yellow,
  gone: paint.gray,
};
const BEAT_COLOR = { alive: paint.green, stopped: paint.gray, silent: paint.red } as const;

const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

/**
 * One table row per node: id (`*` marks the node that answered), state, heartbeat, agent processes
 * against the limit, busy, dormant, sessions owned, version, start time and address.
 */
export function nodeRows(r: Pick<NodesResponse, 'nodes'>): string {
  const rows = r.nodes.map((n) => {
    const beat = heartbeatWord(n);
    return {
      cells: [
        `${plain(n.id)}${n.self ? ' *' : ''}`,
        n.state,
        `${beat} ${fmtAge(Math.max(0, n.heartbeatAgeMs))} ago`,
        `${n.resident}/${n.capacity}`,
        String(n.busy),
        String(n.dormant),
        String(n.sessions),
        plain(n.version ?? '-'),
        time(n.startedAt),
        plain(n.address),
      ],
      colors: { 1: STATE_COLOR[n.state], 2: BEAT_COLOR[beat] } as Record<number, (s: string) => string>,
    };
  });
  const head = [
    'ID',
    'STATE',
    'HEARTBEAT',
    'AGENTS',
    'BUSY',
    'DORMANT',
    'SESSIONS',
    'VERSION',
    'STARTED',
    'ADDRESS',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[], colors: Record<number, (s: string) => string> = {}) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        const color = colors[i];
        return color ? padded.replace(c, color(c)) : padded;
      })
      .join('  ');
  return [paint.bold(line(head)), ...rows.map((row) => line(row.cells, row.colors))].join('\n') + '\n';
}

/** The line under the table: nodes alive, sessions waiting for a node, the lease, and what `*` means. */
export function nodesSummary(r: Pick<NodesResponse, 'nodes' | 'unowned' | 'leaseMs' | 'self'>): string {
  const alive = r.nodes.filter((n) => n.alive).length;
  const lease = r.leaseMs === null ? '' : ` · lease ${r.leaseMs / 1000}s`;
  const self = r.self ? ` · * = this node (${plain(r.self)})` : '';
  return `${alive} of ${r.nodes.length} node${r.nodes.length === 1 ? '' : 's'} alive · ${r.unowned} unowned session${r.unowned === 1 ? '' : 's'}${lease}${self}`;
}
