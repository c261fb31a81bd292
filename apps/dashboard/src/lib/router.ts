import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'sessions' }
  | { page: 'session'; id: string }
  | { page: 'pipelines' }
  | { page: 'pipeline'; id: string }
  | { page: 'audit'; search: string }
  | { page: 'keys' }
  | { page: 'nodes' }
  | { page: 'routines' }
  | { page: 'cost' }
  | { page: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const search = q >= 0 ? raw.slice(q) : '';
  const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/overview') return { page: 'overview' };
  if (path === '/sessions') return { page: 'sessions' };
  if (path === '/pipelines') return { page: 'pipelines' };
  if (path === '/audit') return { page: 'audit', search };
  if (path === '/keys') return { page: 'keys' };
  if (path === '/nodes') return { page: 'nodes' };
  if (path === '/routines') return { page: 'routines' };
  if (path === '/cost') return { page: 'cost' };
  const m = /^\/(sessions|pipelines)\/([^/]+)$/.exec(path);
  if (m) return { page: m[1] === 'sessions' ? 'session' : 'pipeline', id: decodeURIComponent(m[2]!) };
  return { page: 'notFound', path };
}

export const href = {
  overview: '#/',
  sessions: '#/sessions',
  session: (id: string) => `#/sessions/${encodeURIComponent(id)}`,
  pipelines: '#/pipelines',
  pipeline: (id: string) => `#/pipelines/${encodeURIComponent(id)}`,
  audit: (search = '') => `#/audit${search}`,
  keys: '#/keys',
  nodes: '#/nodes',
  routines: '#/routines',
  cost: '#/cost',
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
