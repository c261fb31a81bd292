import { useEffect, useRef, useState } from 'react';
import {
  type Access,
  apiBase,
  hasApiKey,
  setApiKey,
  ssoSignOut,
  useAccess,
  useCluster,
  useMe,
} from './api.js';
import { Empty } from './components/bits.js';
import { ToastProvider } from './components/Toasts.js';
import { isEditable, requestSearchFocus } from './lib/focus.js';
import { href, navigate, type Route, useRoute } from './lib/router.js';
import { applyTheme, nextTheme, storedTheme, type Theme, themeLabel } from './lib/theme.js';
import { Audit } from './pages/Audit.js';
import { Keys } from './pages/Keys.js';
import { Nodes } from './pages/Nodes.js';
import { Overview } from './pages/Overview.js';
import { PipelineDetail, Pipelines } from './pages/Pipelines.js';
import { Routines } from './pages/Routines.js';
import { SessionDetail } from './pages/SessionDetail.js';
import { Sessions } from './pages/Sessions.js';

const SHORTCUTS: [string[], string][] = [
  [['?'], 'Show or hide this help'],
  [['g', 'o'], 'Go to Overview'],
  [['g', 's'], 'Go to Sessions'],
  [['g', 'p'], 'Go to Pipelines'],
  [['g', 'r'], 'Go to Routines'],
  [['g', 'a'], 'Go to the Audit log'],
  [['g', 'k'], 'Go to API keys'],
  [['g', 'n'], 'Go to Nodes (servers in a cluster)'],
  [['/'], 'Search sessions (also Ctrl+K)'],
  [['Enter'], 'Send the follow-up (Shift+Enter: new line)'],
  [['Esc'], 'Close this dialog'],
];

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const access = useAccess();
  const cluster = useCluster();
  const me = useMe();
  useShortcuts(setHelp);
  useEffect(() => {
    document.title = `${titleOf(route)} · Aegis`;
  }, [route]);

  return (
    <ToastProvider>
      {/* A button, not a link to "#main": the hash belongs to the router. */}
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="topbar">
        <a className="brand" href={href.overview} aria-label="Aegis home">
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path d="M8 1l6 2.5v4C14 11 11.5 14 8 15 4.5 14 2 11 2 7.5v-4z" fill="currentColor" />
          </svg>
          Aegis
        </a>
        <nav aria-label="Main">
          <ul>
            <NavLink to={href.overview} current={route.page === 'overview'}>
              Overview
            </NavLink>
            <NavLink to={href.sessions} current={route.page === 'sessions' || route.page === 'session'}>
              Sessions
            </NavLink>
            <NavLink to={href.pipelines} current={route.page === 'pipelines' || route.page === 'pipeline'}>
              Pipelines
            </NavLink>
            <NavLink to={href.routines} current={route.page === 'routines'}>
              Routines
            </NavLink>
            <NavLink to={href.audit()} current={route.page === 'audit'} adminOnly access={access}>
              Audit
            </NavLink>
            <NavLink to={href.keys} current={route.page === 'keys'} adminOnly access={access}>
              API keys
            </NavLink>
            {/* Only a node of a cluster has nodes to list; opened on a single server, the page says so. */}
            {cluster.clustered ? (
              <NavLink to={href.nodes} current={route.page === 'nodes'}>
                Nodes
              </NavLink>
            ) : null}
          </ul>
        </nav>
        <div className="topbar-end">
          {!hasApiKey() && me?.via === 'cookie' ? (
            <>
              <span className="small" data-testid="signed-in-as" title={me.id}>
                {me.name ?? me.email ?? me.id}
              </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void ssoSignOut().finally(() => location.reload())}
              >
                Sign out
              </button>
            </>
          ) : null}
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
          <ThemeButton />
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
        API <span className="mono">{apiBase}</span> · <a href={`${apiBase}/v1/docs`}>API docs</a> ·{' '}
        <a href={`${apiBase}/v1/openapi.json`}>OpenAPI</a>
      </footer>
      {help ? <Help onClose={() => setHelp(false)} /> : null}
    </ToastProvider>
  );
}

/** Cycles the colour theme: System (follows the OS) → Light → Dark. */
function ThemeButton() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const next = nextTheme(theme);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={`Theme: ${themeLabel[theme]}. Switch to ${themeLabel[next]}`}
      title={`Theme: ${themeLabel[theme]} (click for ${themeLabel[next]})`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}</span>{' '}
      {themeLabel[theme]}
    </button>
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
    case 'pipelines':
      return 'Pipelines';
    case 'pipeline':
      return `Pipeline ${route.id.slice(0, 8)}`;
    case 'audit':
      return 'Audit log';
    case 'keys':
      return 'API keys';
    case 'nodes':
      return 'Nodes';
    case 'routines':
      return 'Routines';
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
    case 'pipelines':
      return <Pipelines />;
    case 'pipeline':
      return <PipelineDetail key={route.id} id={route.id} />;
    case 'audit':
      return <Audit search={route.search} />;
    case 'keys':
      return <Keys />;
    case 'nodes':
      return <Nodes />;
    case 'routines':
      return <Routines />;
    default:
      return (
        <Empty title="Page not found">
          Nothing lives at <code>{route.path}</code>. Go to the <a href={href.overview}>Overview</a>.
        </Empty>
      );
  }
}

/** A nav link; admin-only pages are greyed (still reachable, they explain why) for other keys. */
function NavLink({
  to,
  current,
  adminOnly,
  access,
  children,
}: {
  to: string;
  current: boolean;
  adminOnly?: boolean;
  access?: Access;
  children: string;
}) {
  const restricted = adminOnly && access === 'notAdmin';
  return (
    <li>
      <a
        href={to}
        aria-current={current ? 'page' : undefined}
        className={restricted ? 'restricted' : undefined}
        title={restricted ? `${children}: admins only` : undefined}
      >
        {children}
        {restricted ? <span className="sr-only"> (admins only)</span> : null}
      </a>
    </li>
  );
}

function useShortcuts(setHelp: (f: (open: boolean) => boolean) => void) {
  const pendingG = useRef(0);
  useEffect(() => {
    const searchSessions = () => {
      navigate(href.sessions);
      requestSearchFocus();
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
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
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
        else if (e.key === 'p') navigate(href.pipelines);
        else if (e.key === 'a') navigate(href.audit());
        else if (e.key === 'k') navigate(href.keys);
        else if (e.key === 'n') navigate(href.nodes);
        else if (e.key === 'r') navigate(href.routines);
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
