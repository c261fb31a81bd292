import { describe, expect, it } from 'vitest';
import { allCursorPages, allNumberedPages } from './paging.js';

/** A stand-in for `GET /v1/sessions?page=&limit=`: `n` items, 100 a page. */
function numbered(n: number) {
  const calls: number[] = [];
  const fetchPage = async (page: number) => {
    calls.push(page);
    const items = Array.from({ length: n }, (_, i) => i).slice((page - 1) * 100, page * 100);
    return { items, total: n };
  };
  return { calls, fetchPage };
}

/** A stand-in for `GET /v1/audit?after=&limit=`: ids 1..n, `limit` a page, as the server pages. */
function cursor(n: number, limit: number) {
  const calls: (number | undefined)[] = [];
  const fetchPage = async (after: number | undefined) => {
    calls.push(after);
    const items = Array.from({ length: n }, (_, i) => i + 1)
      .filter((id) => id > (after ?? 0))
      .slice(0, limit);
    return { items, nextAfter: items.length === limit ? items.at(-1)! : null };
  };
  return { calls, fetchPage };
}

describe('allNumberedPages', () => {
  it('follows pages past 2,000 items until the total is reached', async () => {
    const s = numbered(2350);
    const res = await allNumberedPages(s.fetchPage);
    expect(res).toMatchObject({ total: 2350, truncated: false });
    expect(res.items).toHaveLength(2350);
    expect(s.calls).toHaveLength(24);
  });

  it('says the list is truncated when it stops at maxPages', async () => {
    const s = numbered(450);
    const res = await allNumberedPages(s.fetchPage, 3);
    expect(res).toMatchObject({ total: 450, truncated: true });
    expect(res.items).toHaveLength(300);
  });

  it('stops on an empty page even if total promised more', async () => {
    const res = await allNumberedPages(async (page) => ({ items: page === 1 ? [1, 2] : [], total: 5 }));
    expect(res).toEqual({ items: [1, 2], total: 5, truncated: false });
  });
});

describe('allCursorPages', () => {
  it('pages with after until nextAfter is null, past the server default of 1,000', async () => {
    const s = cursor(2500, 1000);
    const items = await allCursorPages(s.fetchPage);
    expect(items).toHaveLength(2500);
    expect(items.at(-1)).toBe(2500);
    expect(s.calls).toEqual([undefined, 1000, 2000]);
  });

  it('asks one more page when the last full page ends exactly at the end', async () => {
    const s = cursor(2000, 1000);
    expect(await allCursorPages(s.fetchPage)).toHaveLength(2000);
    expect(s.calls).toEqual([undefined, 1000, 2000]);
  });
});
