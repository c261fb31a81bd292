/**
 * Following the API's pages to the end. Both helpers take the page fetcher as a function so the
 * stopping rules can be tested without a server; the pages themselves come from `@aegis/client`.
 */

export interface AllPages<T> {
  items: T[];
  /** What the server says it holds (page-numbered lists), else `items.length`. */
  total: number;
  /** True when `maxPages` ran out before the last page: `items` is not everything. */
  truncated: boolean;
}

/**
 * Every item of a page-numbered list (`?page=&limit=`, answering `total`), page by page until the
 * server has given `total` items or an empty page. Stops after `maxPages` (a guard against a list
 * that keeps growing under us) and says so with `truncated`.
 */
export async function allNumberedPages<T>(
  fetchPage: (page: number) => Promise<{ items: T[]; total: number }>,
  maxPages = 1000,
): Promise<AllPages<T>> {
  const items: T[] = [];
  let total = 0;
  for (let page = 1; page <= maxPages; page++) {
    const res = await fetchPage(page);
    items.push(...res.items);
    total = res.total;
    if (items.length >= res.total || res.items.length === 0) return { items, total, truncated: false };
  }
  return { items, total, truncated: items.length < total };
}

/**
 * Every item of a cursor-paged list (`?after=`, answering `nextAfter`, null at the end), e.g. the
 * audit log, whose server caps a page at 1,000 records unless asked for more.
 */
export async function allCursorPages<T>(
  fetchPage: (after: number | undefined) => Promise<{ items: T[]; nextAfter: number | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let after: number | undefined;
  for (;;) {
    const res = await fetchPage(after);
    items.push(...res.items);
    if (res.nextAfter === null || res.nextAfter === after) return items;
    after = res.nextAfter;
  }
}
