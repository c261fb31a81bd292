import type { Session } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import { type TurnsTodayCache, turnsToday, type UserEntriesPage } from './overview.js';

const now = new Date(2026, 0, 10, 15, 0, 0); // local time
const at = (d: number, h: number) => new Date(2026, 0, d, h).toISOString();

function session(id: string, over: Partial<Session>): Session {
  return {
    id,
    turns: 1,
    lastActivityAt: at(10, 12),
    usage: { totalTokens: 0, costUsd: null },
    ...over,
  } as Session;
}

/** A stand-in for `GET /v1/sessions/{id}/transcript/cursor?role=user`: newest page first, `limit` a page. */
function transcripts(byId: Record<string, string[]>, limit = 2) {
  const calls: [string, number | undefined][] = [];
  const fetchPage: UserEntriesPage = async (id, before) => {
    calls.push([id, before]);
    const all = (byId[id] ?? []).map((when, i) => ({ id: i + 1, at: when }));
    const older = all.filter((e) => before === undefined || e.id < before);
    const page = older.slice(-limit);
    return { messages: page, has_more: older.length > page.length, oldest_id: page[0]?.id ?? null };
  };
  return { calls, fetchPage };
}

describe('turns today', () => {
  it('counts turns started since local midnight, paging back only while pages start today', async () => {
    const t = transcripts({
      a: [at(8, 9), at(9, 23), at(10, 1), at(10, 9), at(10, 12)],
      b: [at(10, 14)],
    });
    const sessions = [
      session('a', { turns: 5 }),
      session('b', { turns: 1 }),
      session('c', { turns: 4, lastActivityAt: at(9, 10) }), // not active today: not read
      session('d', { turns: 0 }),
    ];
    expect(await turnsToday(sessions, t.fetchPage, new Map(), now)).toBe(4);
    expect(t.calls).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['a', 4],
    ]);
  });

  it('re-reads a session only when its turn count changed', async () => {
    const byId = { a: [at(10, 9)] };
    const t = transcripts(byId);
    const cache: TurnsTodayCache = new Map();
    expect(await turnsToday([session('a', { turns: 1 })], t.fetchPage, cache, now)).toBe(1);
    expect(await turnsToday([session('a', { turns: 1 })], t.fetchPage, cache, now)).toBe(1);
    expect(t.calls).toHaveLength(1);
    byId.a.push(at(10, 14));
    expect(await turnsToday([session('a', { turns: 2 })], t.fetchPage, cache, now)).toBe(2);
    expect(t.calls).toHaveLength(2);
  });
});
