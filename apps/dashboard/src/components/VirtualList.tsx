import { type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { t } from '../i18n/index.js';

/**
 * A hand-rolled windowed list for variable-height rows: only the rows near the viewport are in the
 * DOM. Row heights are measured with one ResizeObserver and cached by key; unmeasured rows use
 * `estimate`. Follows the bottom (like a terminal) while the user is scrolled to the end.
 */
export function VirtualList<T>({
  items,
  getKey,
  render,
  estimate = 72,
  overscanPx = 800,
  label,
  className,
}: {
  items: readonly T[];
  getKey: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  estimate?: number;
  overscanPx?: number;
  label: string;
  className?: string;
}) {
  const scroller = useRef<HTMLElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measureTick, setMeasureTick] = useState(0);
  const [view, setView] = useState({ top: 0, height: 800 });
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  const pending = useRef(0);

  const observer = useMemo(() => {
    if (typeof ResizeObserver === 'undefined') return null;
    return new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const el = entry.target as HTMLElement;
        const key = el.dataset.vkey;
        if (!key) continue;
        const h = Math.ceil(el.getBoundingClientRect().height);
        if (h > 0 && heights.current.get(key) !== h) {
          heights.current.set(key, h);
          changed = true;
        }
      }
      if (changed && !pending.current) {
        pending.current = requestAnimationFrame(() => {
          pending.current = 0;
          setMeasureTick((t) => t + 1);
        });
      }
    });
  }, []);
  useEffect(() => () => observer?.disconnect(), [observer]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: measureTick invalidates measured heights
  const offsets = useMemo(() => {
    const o = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++)
      o[i + 1] = o[i]! + (heights.current.get(getKey(items[i]!)) ?? estimate);
    return o;
  }, [items, getKey, estimate, measureTick]);
  const total = offsets[items.length]!;

  const lo = Math.max(0, view.top - overscanPx);
  const hi = view.top + view.height + overscanPx;
  const start = Math.max(0, upperBound(offsets, lo) - 1);
  let end = start;
  while (end < items.length && offsets[end]! < hi) end++;

  const lastTop = useRef(0);
  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    // Content growing never moves scrollTop up, so only a scroll *up* by the user stops following;
    // reaching the end again resumes it.
    if (atEnd) follow.current = true;
    else if (el.scrollTop < lastTop.current - 2) follow.current = false;
    lastTop.current = el.scrollTop;
    setFollowing(follow.current);
    setView({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Stick to the bottom while following, after every layout change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run whenever content height changes
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && follow.current && el.scrollHeight > el.clientHeight) {
      el.scrollTop = el.scrollHeight;
    }
  }, [total, items]);

  const measure = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el || !observer) return;
      observer.observe(el);
      return () => observer.unobserve(el);
    },
    [observer],
  );

  const jumpToEnd = () => {
    const el = scroller.current;
    if (!el) return;
    follow.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  };

  return (
    <div className={`vlist-wrap ${className ?? ''}`}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll it with the keyboard */}
      <section ref={scroller} className="vlist" onScroll={onScroll} tabIndex={0} aria-label={label}>
        <div style={{ height: total, position: 'relative' }}>
          <ul className="vlist-items" style={{ transform: `translateY(${offsets[start]}px)` }}>
            {items.slice(start, end).map((item, i) => {
              const key = getKey(item);
              return (
                <li key={key} data-vkey={key} ref={measure} className="vrow">
                  {render(item, start + i)}
                </li>
              );
            })}
          </ul>
        </div>
      </section>
      {!following && items.length > 0 ? (
        <button type="button" className="btn btn-small jump" onClick={jumpToEnd}>
          ↓ {t('list.latest')}
        </button>
      ) : null}
    </div>
  );
}

/** First index i with a[i] > x. */
function upperBound(a: Float64Array, x: number): number {
  let l = 0;
  let r = a.length;
  while (l < r) {
    const m = (l + r) >> 1;
    if (a[m]! <= x) l = m + 1;
    else r = m;
  }
  return l;
}
