import { useEffect, useRef, useState } from 'react';
import { apiBase, hasApiKey, setApiKey } from './api.js';
import { Empty } from './components/bits.js';
import { ToastProvider } from './components/Toasts.js';
import { href, navigate, type Route, useRoute } from './lib/router.js';
import { Overview } from './pages/Overview.js';
import { SessionDetail } from './pages/SessionDetail.js';
import { Sessions } from './pages/Sessions.js';

const SHORTCUTS: [string[], string][] = [
  [['?'], 'Show or hide this help'],
  [['g', 'o'], 'Go to Overview'],
  [['g', 's'], 'Go to Sessions'],
  [['/'], 'Search sessions (also Ctrl+K)'],
  [['Enter'], 'Send the follow-up (Shift+Enter: new line)'],
  [['Esc'], 'Close this dialog'],
];

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  useShortcuts(setHelp);
  useEffect(() => {
    document.title = `${titleOf(route)} · Aegis`;
  }, [route]);

  return (
    <ToastProvider>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href.overview} aria-label="Aegis home">
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path d="M8 1l6 2.5v4C14 11 11.5 14 8 15 4.5 14 2 11 2 7.5v-4z" fill="currentColor" />
          </svg>
          Aegis
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href={href.overview} aria-current={route.page === 'overview' ? 'page' : undefined}>
                Overview
              </a>
            </li>
            <li>
              <a
                href={href.sessions}
                aria-current={route.page === 'sessions' || route.page === 'session' ? 'page' : undefined}
              >
                Sessions
              </a>
            </li>
          </ul>
        </nav>
        <div className="topbar-end">
          {hasApiKey() ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setApiKey(null);
                location.reload();
              }}
            >
              Sign out
            </button>
          ) : null}
          <button
            type="button"
            className="icon-btn"
            aria-label="Keyboard shortcuts"
            onClick={() => setHelp(true)}
          >
            ?
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer className="foot muted small">
        API <span className="mono">{apiBase}</span> · <a href={`${apiBase}/v1/openapi.json`}>OpenAPI</a>
      </footer>
      {help ? <Help onClose={() => setHelp(false)} /> : null}
    </ToastProvider>
  );
}

function titleOf(route: Route): string {
  switch (route.page) {
    case 'overview':
      return 'Overview';
    case 'sessions':
      return 'Sessions';
    case 'session':
      return `Session ${route.id.slice(0, 8)}`;
    default:
      return 'Not found';
  }
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'sessions':
      return <Sessions />;
    case 'session':
      return <SessionDetail key={route.id} id={route.id} />;
    default:
      return (
        <Empty title="Page not found">
          Nothing lives at <code>{route.path}</code>. Go to the <a href={href.overview}>Overview</a>.
        </Empty>
      );
  }
}

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function useShortcuts(setHelp: (f: (open: boolean) => boolean) => void) {
  const pendingG = useRef(0);
  useEffect(() => {
    const searchSessions = () => {
      navigate(href.sessions);
      // Wait for the page to mount before focusing its search box.
      setTimeout(() => window.dispatchEvent(new Event('aegis:focus-search')), 30);
    };
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        searchSessions();
        return;
      }
      if (e.key === 'Escape') {
        setHelp(() => false);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelp((o) => !o);
      } else if (e.key === '/') {
        e.preventDefault();
        searchSessions();
      } else if (e.key === 'g') {
        pendingG.current = Date.now();
      } else if (Date.now() - pendingG.current < 1200) {
        pendingG.current = 0;
        if (e.key === 'o') navigate(href.overview);
        else if (e.key === 's') navigate(href.sessions);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setHelp]);
}

function Help({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    return () => d?.close?.();
  }, []);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, d]) => (
            <tr key={k.join(' ')}>
              <th scope="row">
                {k.map((part) => (
                  <kbd key={part}>{part}</kbd>
                ))}
              </th>
              <td>{d}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="btn" onClick={onClose}>
          Close
        </button>
      </form>
    </dialog>
  );
}
