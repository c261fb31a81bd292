import type { ClusterNode } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import {
  clusterSummary,
  fmtAge,
  heartbeat,
  leaseText,
  ownerText,
  residentLoad,
  showsNodes,
  stateTone,
} from './nodes.js';

const node = (over: Partial<ClusterNode> = {}): ClusterNode => ({
  id: 'node-a',
  address: 'http://127.0.0.1:9100',
  state: 'active',
  alive: true,
  self: false,
  startedAt: '2026-12-04T10:00:00.000Z',
  heartbeatAt: '2026-12-04T10:05:00.000Z',
  heartbeatAgeMs: 1200,
  capacity: 8,
  resident: 2,
  dormant: 1,
  busy: 1,
  sessions: 3,
  version: '0.1.0',
  ...over,
});

describe('node state and heartbeat', () => {
  it.each([
    ['active', 'ok'],
    ['draining', 'warn'],
    ['gone', 'muted'],
  ] as const)('state %s has tone %s', (state, tone) => {
    expect(stateTone(state)).toBe(tone);
  });

  it.each([
    [0, '<1 s'],
    [999, '<1 s'],
    [1_000, '1 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [3_599_999, '59 min'],
    [3_600_000, '1 h'],
    [86_400_000, '1 d'],
    [3 * 86_400_000 + 5, '3 d'],
  ])('an age of %i ms reads %s', (ms, text) => {
    expect(fmtAge(ms)).toBe(text);
  });

  it('a node heartbeating within the lease is alive', () => {
    expect(heartbeat(node())).toEqual({ label: 'alive', tone: 'ok', age: '1 s ago' });
  });

  it('a silent node that did not stop cleanly is bad news; one that stopped is only muted', () => {
    expect(heartbeat(node({ alive: false, heartbeatAgeMs: 45_000 }))).toEqual({
      label: 'silent',
      tone: 'bad',
      age: '45 s ago',
    });
    expect(heartbeat(node({ alive: false, state: 'gone', heartbeatAgeMs: 7_200_000 }))).toEqual({
      label: 'stopped',
      tone: 'muted',
      age: '2 h ago',
    });
  });

  it('a heartbeat a little in the future (clock skew) reads as just now, not a negative age', () => {
    expect(heartbeat(node({ heartbeatAgeMs: -40 })).age).toBe('<1 s ago');
  });
});

describe('load and lease', () => {
  it('resident agents against the limit, with the share for a meter', () => {
    expect(residentLoad(node())).toEqual({ text: '2 / 8', share: 0.25 });
    expect(residentLoad(node({ resident: 9, capacity: 8 })).share).toBe(1);
    expect(residentLoad(node({ resident: 0, capacity: 0 }))).toEqual({ text: '0 / 0', share: null });
  });

  it('the lease in seconds', () => {
    expect(leaseText(30_000)).toBe('30 s');
    expect(leaseText(2_500)).toBe('2.5 s');
    expect(leaseText(null)).toBe('—');
  });

  it('sums nodes alive and silent, and every session not ended, unowned ones included', () => {
    const summary = clusterSummary({
      unowned: 2,
      nodes: [
        node(),
        node({ id: 'node-b', alive: false, sessions: 4 }),
        node({ id: 'node-c', alive: false, state: 'gone', sessions: 0 }),
      ],
    });
    expect(summary).toEqual({ nodes: 3, alive: 1, silent: 1, sessions: 9 });
  });
});

describe('the owner node on sessions', () => {
  it('names the node; a live session without one is unowned; an ended one shows a dash', () => {
    expect(ownerText({ node: 'node-b', status: 'idle' })).toBe('node-b');
    expect(ownerText({ node: null, status: 'idle' })).toBe('unowned');
    expect(ownerText({ node: null, status: 'completed' })).toBe('—');
  });

  it('the list shows a Node column on a cluster or when a session names a node, not on a single server', () => {
    expect(showsNodes(false, [{ node: null }])).toBe(false);
    expect(showsNodes(false, [])).toBe(false);
    expect(showsNodes(true, [])).toBe(true);
    expect(showsNodes(false, [{ node: null }, { node: 'node-a' }])).toBe(true);
  });
});
