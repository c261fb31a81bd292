import { describe, expect, it } from 'vitest';
import { Session, type SessionStatus } from './schemas.js';
import { sessionActions, sessionHealth } from './session-health.js';
import { latencyStats } from './session-metrics.js';

describe('latencyStats', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyStats(samples)).toEqual({ count: 100, p50: 50, p95: 95, max: 100, mean: 50.5 });
  });
  it('is all nulls without samples', () => {
    expect(latencyStats([])).toEqual({ count: 0, p50: null, p95: null, max: null, mean: null });
  });
});

describe('sessionActions', () => {
  const session = (status: SessionStatus) => Session.parse({ ...BASE, status });
  const running = { alive: true, inactiveMs: 10 };

  it('offers approve/reject while a permission waits and answer while a question waits', () => {
    expect(sessionActions(session('permission_prompt'), running)).toEqual(
      expect.arrayContaining(['approve', 'reject', 'escape', 'interrupt', 'kill']),
    );
    expect(sessionActions(session('permission_prompt'), running)).not.toContain('answer');
    expect(sessionActions(session('asking'), running)).toEqual(
      expect.arrayContaining(['answer', 'escape', 'interrupt', 'kill']),
    );
    expect(sessionActions(session('asking'), running)).not.toContain('approve');
  });

  it('offers interrupt only while a turn runs, and nothing once the session has ended', () => {
    expect(sessionActions(session('idle'), running)).toEqual(['send', 'mode', 'kill']);
    expect(sessionActions(session('working'), running)).toContain('interrupt');
    expect(sessionActions(session('stalled'), running)).toContain('interrupt');
    expect(sessionActions(session('pending'), { alive: false, inactiveMs: 5 })).toEqual(['send', 'kill']);
    for (const ended of ['completed', 'killed', 'crashed'] as const) {
      expect(sessionActions(session(ended), { alive: false, inactiveMs: null })).toEqual([]);
    }
    // Stored as idle but not run by this process: it can only be read.
    expect(sessionActions(session('idle'), { alive: false, inactiveMs: null })).toEqual([]);
  });

  it('health carries the same actions, and the hints the HTTP edge words (none without it)', () => {
    const s = session('permission_prompt');
    const health = sessionHealth(s, running);
    expect(health.actions).toEqual(sessionActions(s, running));
    expect(health.hints).toEqual([]);
    expect(sessionHealth(s, running, { hints: ['approve it'] }).hints).toEqual(['approve it']);
  });
});

const BASE = {
  id: 'ses_1',
  name: null,
  title: null,
  workDir: '/tmp/w',
  permissionMode: 'default',
  agent: 'scripted',
  model: null,
  ownerId: null,
  parentId: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  lastActivityAt: '2025-01-01T00:00:00.000Z',
  turns: 0,
  queuedPrompts: 0,
  lastSeq: 0,
  usage: {},
  pendingPermission: null,
  pendingPermissionCount: 0,
  problem: null,
  exit: null,
  availableModes: [],
  availableCommands: [],
};
