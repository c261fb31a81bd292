import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { t } from '../i18n/index.js';

export type ToastTone = 'ok' | 'error' | 'info';
interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
  /** How many times this same message was raised while it was on screen. */
  count: number;
}

/** At most this many toasts on screen; an older one makes way for a newer. */
export const MAX_TOASTS = 3;
/** How long a toast stays: errors longer, so they can be read. */
export const TOAST_MS: Record<ToastTone, number> = { ok: 4000, info: 6000, error: 8000 };

const Ctx = createContext<(text: string, tone?: ToastTone) => void>(() => {});

export function useToast() {
  return useContext(Ctx);
}

/**
 * Short notices at the top right (top, full width on a phone), never over the composer at the
 * bottom: at most `MAX_TOASTS`, each dismissed after `TOAST_MS`; the same message raised again
 * while shown is counted (×2) and its time restarts instead of stacking a copy.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((t) => t.filter((x) => x.id !== id));
  }, []);
  const push = useCallback(
    (text: string, tone: ToastTone = 'info') => {
      setToasts((list) => {
        const same = list.find((x) => x.text === text && x.tone === tone);
        const id = same?.id ?? next.current++;
        clearTimeout(timers.current.get(id));
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), TOAST_MS[tone]),
        );
        const rest = list.filter((x) => x.id !== id);
        const kept = rest.slice(-(MAX_TOASTS - 1));
        for (const dropped of rest.slice(0, rest.length - kept.length)) {
          clearTimeout(timers.current.get(dropped.id));
          timers.current.delete(dropped.id);
        }
        return [...kept, { id, text, tone, count: (same?.count ?? 0) + 1 }];
      });
    },
    [dismiss],
  );
  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const t of all.values()) clearTimeout(t);
      all.clear();
    };
  }, []);
  const value = useMemo(() => push, [push]);
  return (
    <Ctx.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid="toast">
            <span>
              {toast.text}
              {toast.count > 1 ? <span className="muted"> ×{toast.count}</span> : null}
            </span>
            <button
              type="button"
              className="icon-btn"
              aria-label={t('question.dismiss')}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}
