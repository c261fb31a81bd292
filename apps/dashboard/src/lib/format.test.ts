import type { Session } from '@aegis/client';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/index.js';
import {
  createdPerDay,
  distinctWorkDirs,
  filterSessions,
  fmtAgo,
  fmtCost,
  fmtNumber,
  fmtTime,
  needsHuman,
  sessionsCsv,
  shortPath,
  statusLabel,
} from './format.js';
import { parseHash } from './router.js';

function session(over: Partial<Session>): Session {
  return {
    id: 'id-1',
    name: null,
    title: null,
    workDir: '/repo/a',
    status: 'idle',
    permissionMode: 'default',
    agent: 'scripted',
    model: null,
    ownerId: null,
    parentId: null,
    createdAt: '2026-01-10T12:00:00.000Z',
    updatedAt: '2026-01-10T12:00:00.000Z',
    lastActivityAt: '2026-01-10T12:00:00.000Z',
    turns: 1,
    queuedPrompts: 0,
    lastSeq: 3,
    usage: {
      inputTokens: 1,
      outputTokens: 2,
      cachedReadTokens: 0,
      cachedWriteTokens: 0,
      totalTokens: 3,
      costUsd: null,
      contextUsed: null,
      contextSize: null,
    },
    pendingPermission: null,
    pendingPermissionCount: 0,
    problem: null,
    exit: null,
    availableModes: [],
    availableCommands: [],
    ...over,
  } as Session;
}

describe('session list helpers', () => {
  const list = [
    session({ id: 'a', workDir: '/repo/alpha', status: 'permission_prompt' }),
    session({ id: 'b', workDir: '/repo/beta', status: 'idle', name: 'Beta job' }),
    session({ id: 'c', workDir: '/other/gamma', status: 'error', createdAt: '2026-01-12T12:00:00.000Z' }),
  ];

  it('filters by state, needs-a-human, text and date range', () => {
    expect(filterSessions(list, { states: 'all', text: '' }).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(filterSessions(list, { states: 'needsHuman', text: '' }).map((s) => s.id)).toEqual(['a', 'c']);
    expect(filterSessions(list, { states: ['idle'], text: '' }).map((s) => s.id)).toEqual(['b']);
    expect(filterSessions(list, { states: 'all', text: 'REPO' }).map((s) => s.id)).toEqual(['a', 'b']);
    expect(filterSessions(list, { states: 'all', text: 'beta job' }).map((s) => s.id)).toEqual(['b']);
    expect(filterSessions(list, { states: 'all', text: '', from: '2026-01-11' }).map((s) => s.id)).toEqual([
      'c',
    ]);
    expect(filterSessions(list, { states: 'all', text: '', to: '2026-01-11' }).map((s) => s.id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('filters by exact workDir, listing the distinct workDirs sorted', () => {
    const withDup = [...list, session({ id: 'd', workDir: '/repo/alpha' })];
    expect(distinctWorkDirs(withDup)).toEqual(['/other/gamma', '/repo/alpha', '/repo/beta']);
    expect(
      filterSessions(withDup, { states: 'all', text: '', workDir: '/repo/alpha' }).map((s) => s.id),
    ).toEqual(['a', 'd']);
    // Exact, not a prefix: /repo/alpha does not match /repo/alpha-2.
    expect(
      filterSessions([session({ id: 'e', workDir: '/repo/alpha-2' })], {
        states: 'all',
        text: '',
        workDir: '/repo/alpha',
      }),
    ).toEqual([]);
  });

  it('needs a human: a waiting state, or a pending permission or question in any state', () => {
    const pendingPermission = { requestId: 'r' } as Session['pendingPermission'];
    const pendingQuestion = { questionId: 'q' } as Session['pendingQuestion'];
    expect(needsHuman(session({ status: 'stalled' }))).toBe(true);
    expect(needsHuman(session({ status: 'idle' }))).toBe(false);
    expect(needsHuman(session({ status: 'working', pendingPermission }))).toBe(true);
    expect(needsHuman(session({ status: 'working', pendingQuestion }))).toBe(true);
    // The Sessions filter uses the same predicate as the Overview list.
    const mixed = [session({ id: 'w', status: 'working', pendingPermission }), session({ id: 'i' })];
    expect(filterSessions(mixed, { states: 'needsHuman', text: '' }).map((s) => s.id)).toEqual(
      mixed.filter(needsHuman).map((s) => s.id),
    );
  });

  it('exports RFC 4180 CSV, quoting commas, quotes and formula-looking cells', () => {
    const csv = sessionsCsv([session({ id: 'x', name: 'say "hi", then =SUM(A1)', workDir: '/w,1' })]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(
      'id,name,status,workDir,agent,model,permissionMode,turns,inputTokens,outputTokens,totalTokens,costUsd,createdAt,lastActivityAt',
    );
    expect(row).toContain('"say ""hi"", then =SUM(A1)"');
    expect(row).toContain('"/w,1"');
    expect(sessionsCsv([session({ name: '=cmd' })])).toContain(',"=cmd",');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('counts sessions created per day for a sparkline', () => {
    const now = new Date(2026, 0, 12, 18, 0, 0);
    const at = (d: number, h = 10) => new Date(2026, 0, d, h).toISOString();
    const counts = createdPerDay(
      [
        session({ createdAt: at(12) }),
        session({ createdAt: at(12, 1) }),
        session({ createdAt: at(10) }),
        session({ createdAt: at(1) }),
      ],
      3,
      now,
    );
    expect(counts).toEqual([1, 0, 2]);
  });

  it('formats cost and paths', () => {
    expect(fmtCost(null)).toBe('—');
    expect(fmtCost(0)).toBe('$0.00');
    expect(fmtCost(0.0123)).toBe('$0.0123');
    expect(fmtCost(12.345)).toBe('$12.35');
    expect(shortPath('/a/b/c/d')).toBe('…/c/d');
    expect(shortPath('/a/b')).toBe('/a/b');
  });

  it('parses hash routes', () => {
    expect(parseHash('')).toEqual({ page: 'overview' });
    expect(parseHash('#/')).toEqual({ page: 'overview' });
    expect(parseHash('#/sessions/')).toEqual({ page: 'sessions' });
    expect(parseHash('#/sessions/abc%2Fd')).toEqual({ page: 'session', id: 'abc/d' });
    expect(parseHash('#/nope')).toEqual({ page: 'notFound', path: '/nope' });
  });
});

describe('dates and numbers in the dashboard language', () => {
  afterEach(() => setLocale('en', false));

  it('formats local time, 24-hour with seconds, in the order of the language', async () => {
    const d = new Date(2026, 11, 4, 18, 42, 19).toISOString();
    expect(fmtTime(d)).toBe('12/04/2026, 18:42:19');
    expect(fmtTime(new Date(2026, 0, 2, 3, 4, 5).toISOString())).toBe('01/02/2026, 03:04:05');
    expect(fmtTime('not a date')).toBe('not a date');
    await setLocale('it', false);
    expect(fmtTime(d)).toBe('04/12/2026, 18:42:19');
  });

  it('formats counts, costs and ages for the language', async () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect([fmtNumber(12_345), fmtCost(0.0123), fmtAgo('2026-12-04T11:57:00Z', now)]).toEqual([
      '12.3K',
      '$0.0123',
      '3m ago',
    ]);
    await setLocale('it', false);
    const plain = (s: string) => s.replace(/\u00a0/g, ' '); // Intl puts no-break spaces in
    expect([fmtNumber(12_345), fmtCost(0.0123), fmtAgo('2026-12-04T11:57:00Z', now)].map(plain)).toEqual([
      '12,3K',
      '0,0123 USD',
      '3 min fa',
    ]);
    expect(statusLabel('permission_prompt')).toBe('chiede un permesso');
  });
});
