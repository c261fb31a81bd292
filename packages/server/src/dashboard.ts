import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export interface DashboardRoutesOptions {
  /** The built dashboard: a directory holding `index.html` and `assets/` (apps/dashboard/dist). */
  assetsDir: string;
}

/**
 * Serves the dashboard single-page app at `/dashboard/` and redirects `/` there.
 *
 * - `/dashboard/assets/*` are content-hashed files: cached for a year, immutable.
 * - Any other `/dashboard/*` path that is not a file gets `index.html` (SPA fallback), never cached,
 *   so a deploy is picked up on the next load.
 * - When `assetsDir` has no `index.html` (dashboard not built), `/dashboard/*` answers 503 with a
 *   message saying how to build it, instead of a bare 404.
 */
export function dashboardRoutes(options: DashboardRoutesOptions) {
  const root = resolve(options.assetsDir);
  const indexFile = join(root, 'index.html');
  const app = new Hono();

  app.get('/', (c) => c.redirect('/dashboard/', 302));
  app.get('/dashboard', (c) => c.redirect('/dashboard/', 301));

  app.use('/dashboard/*', async (c, next) => {
    if (!existsSync(indexFile)) {
      return c.text(
        'The dashboard is not built. Run `pnpm --filter @aegis/dashboard build` and restart the server.',
        503,
      );
    }
    await next();
    // serveStatic builds its response before its onFound hook runs, so cache headers go on here.
    if (c.res.status === 200) {
      const immutable = c.req.path.startsWith('/dashboard/assets/');
      c.res.headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
  });

  app.use(
    '/dashboard/*',
    serveStatic({
      root,
      rewriteRequestPath: (path) => path.replace(/^\/dashboard/, '') || '/',
    }),
  );

  // SPA fallback: a GET for a route the client renders (not a missing asset) gets index.html.
  app.get(
    '/dashboard/*',
    async (c, next) => {
      if (c.req.path.startsWith('/dashboard/assets/')) return c.text('Not found', 404);
      await next();
    },
    serveStatic({ path: indexFile }),
  );

  return app;
}
