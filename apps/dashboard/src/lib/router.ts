import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'sessions' }
  | { page: 'session'; id: string }
  | { page: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/overview') return { page: 'overview' };
  if (path === '/sessions') return { page: 'sessions' };
  const m = /^\/sessions\/([^/]+)$/.exec(path);
  if (m) return { page: 'session', id: decodeURIComponent(m[1]!) };
  return { page: 'notFound', path };
}

export const href = {
  overview: '#/',
  sessions: '#/sessions',
  session: (id: string) => `#/sessions/${encodeURIComponent(id)}`,
};

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
