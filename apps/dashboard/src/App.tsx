import { lazy, Suspense, useEffect, useRef, useState } from 'react';
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
import { ToastProvider } from './components/Toasts.js';
import {
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  type MessageKey,
  setLocale,
  t,
  useLocale,
} from './i18n/index.js';
import { tr } from './i18n/rich.js';
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

/** Loaded when first opened: the charts and tables stay out of the initial bundle. */
const Cost = lazy(() => import('./pages/Cost.js'));

const SHORTCUTS: [string[], MessageKey][] = [
  [['?'], 'help.toggle'],
  [['g', 'o'], 'help.goOverview'],
  [['g', 's'], 'help.goSessions'],
  [['g', 'p'], 'help.goPipelines'],
  [['g', 'r'], 'help.goRoutines'],
  [['g', 'c'], 'help.goCost'],
  [['g', 'a'], 'help.goAudit'],
  [['g', 'k'], 'help.goKeys'],
  [['g', 'n'], 'help.goNodes'],
  [['/'], 'help.search'],
  [['Enter'], 'help.send'],
  [['Esc'], 'help.close'],
];

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const access = useAccess();
  const cluster = useCluster();
  const me = useMe();
  // Subscribes the whole tree to the language: a switch re-renders every page in place.
  const locale = useLocale();
  useShortcuts(setHelp);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the title is re-worded on a language switch
  useEffect(() => {
    document.title = `${titleOf(route)} · Aegis`;
  }, [route, locale]);

  return (
    <ToastProvider>
      {/* A button, not a link to "#main": the hash belongs to the router. */}
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('app.skip')}
      </button>
      <header className="topbar">
        <a className="brand" href={href.overview} aria-label={t('app.home')}>
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path d="M8 1l6 2.5v4C14 11 11.5 14 8 15 4.5 14 2 11 2 7.5v-4z" fill="currentColor" />
          </svg>
          Aegis
        </a>
        <nav aria-label={t('nav.label')}>
          <ul>
            <NavLink to={href.overview} current={route.page === 'overview'}>
              {t('nav.overview')}
            </NavLink>
            <NavLink to={href.sessions} current={route.page === 'sessions' || route.page === 'session'}>
              {t('nav.sessions')}
            </NavLink>
            <NavLink to={href.pipelines} current={route.page === 'pipelines' || route.page === 'pipeline'}>
              {t('nav.pipelines')}
            </NavLink>
            <NavLink to={href.routines} current={route.page === 'routines'}>
              {t('nav.routines')}
            </NavLink>
            <NavLink to={href.cost} current={route.page === 'cost'}>
              {t('nav.cost')}
            </NavLink>
            <NavLink to={href.audit()} current={route.page === 'audit'} adminOnly access={access}>
              {t('nav.audit')}
            </NavLink>
            <NavLink to={href.keys} current={route.page === 'keys'} adminOnly access={access}>
              {t('nav.keys')}
            </NavLink>
            {/* Only a node of a cluster has nodes to list; opened on a single server, the page says so. */}
            {cluster.clustered ? (
              <NavLink to={href.nodes} current={route.page === 'nodes'}>
                {t('nav.nodes')}
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
                {t('app.signOut')}
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
              {t('app.signOut')}
            </button>
          ) : null}
          <LanguageSelect />
          <ThemeButton />
          <button
            type="button"
            className="icon-btn"
            aria-label={t('help.title')}
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
        {t('app.api')} <span className="mono">{apiBase}</span> ·{' '}
        <a href={`${apiBase}/v1/docs`}>{t('app.apiDocs')}</a> ·{' '}
        <a href={`${apiBase}/v1/openapi.json`}>{t('app.openapi')}</a>
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
      aria-label={t('theme.aria', { theme: themeLabel(theme), next: themeLabel(next) })}
      title={t('theme.title', { theme: themeLabel(theme), next: themeLabel(next) })}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}</span>{' '}
      {themeLabel(theme)}
    </button>
  );
}

/** The language switcher: the browser's language until one is picked here (then remembered). */
function LanguageSelect() {
  const locale = useLocale();
  return (
    <label className="lang">
      <span className="sr-only">{t('app.language')}</span>
      <select
        className="btn btn-small"
        value={locale}
        data-testid="language"
        onChange={(e) => void setLocale(e.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

function titleOf(route: Route): string {
  switch (route.page) {
    case 'overview':
      return t('nav.overview');
    case 'sessions':
      return t('nav.sessions');
    case 'session':
      return t('title.session', { id: route.id.slice(0, 8) });
    case 'pipelines':
      return t('nav.pipelines');
    case 'pipeline':
      return t('title.pipeline', { id: route.id.slice(0, 8) });
    case 'audit':
      return t('audit.title');
    case 'keys':
      return t('nav.keys');
    case 'nodes':
      return t('nav.nodes');
    case 'routines':
      return t('nav.routines');
    case 'cost':
      return t('nav.cost');
    default:
      return t('title.notFound');
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
    case 'cost':
      return (
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          <Cost />
        </Suspense>
      );
    default:
      return (
        <>
          <h1>{t('notFound.title')}</h1>
          <p className="muted">
            {tr('notFound.body', {
              path: <code>{route.path}</code>,
              overview: <a href={href.overview}>{t('nav.overview')}</a>,
            })}
          </p>
        </>
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
        title={restricted ? t('nav.adminsOnlyTitle', { page: children }) : undefined}
      >
        {children}
        {restricted ? <span className="sr-only"> {t('nav.adminsOnly')}</span> : null}
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
        else if (e.key === 'c') navigate(href.cost);
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
      <h2 id="help-title">{t('help.title')}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, d]) => (
            <tr key={k.join(' ')}>
              <th scope="row">
                {k.map((part) => (
                  <kbd key={part}>{part}</kbd>
                ))}
              </th>
              <td>{t(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="btn" onClick={onClose}>
          {t('help.closeButton')}
        </button>
      </form>
    </dialog>
  );
}
