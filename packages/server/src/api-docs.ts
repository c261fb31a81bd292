import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * Swagger UI's files (swagger-ui-dist): copied into dist/api-docs at build time
 * (scripts/copy-api-docs.mjs), so the published package serves them with no CDN and no install-time
 * dependency; from source (tests), the devDependency's own folder.
 */
export function apiDocsAssetsDir(): string | null {
  const bundled = fileURLToPath(new URL('./api-docs', import.meta.url));
  if (existsSync(join(bundled, 'swagger-ui-bundle.js'))) return bundled;
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return null;
  }
}

/** The files of swagger-ui-dist the page loads (the rest, source maps and other bundles, are not served). */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'LICENSE', 'NOTICE']);

// Relative URLs: the page is /v1/docs, so they resolve under /v1/ behind a path-prefixing proxy too.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aegis API</title>
<link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
<style>body{margin:0}.swagger-ui .info{margin:24px 0}</style>
</head>
<body>
<main id="swagger-ui">Loading the API description (openapi.json)…</main>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`;

// The spec declares no security scheme (the SDKs take the key as configuration); the page adds
// bearer auth to its own copy so "Authorize" can send an API key or AEGIS_AUTH_TOKEN with "Try it out".
const INIT = `'use strict';
(function () {
  var root = document.getElementById('swagger-ui');
  fetch('openapi.json', { headers: { accept: 'application/json' } })
    .then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then(function (spec) {
      spec.components = spec.components || {};
      spec.components.securitySchemes = Object.assign({}, spec.components.securitySchemes, {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (ag keys create) or AEGIS_AUTH_TOKEN. Not needed on a zero-config local server.' },
      });
      if (!spec.security) spec.security = [{ bearer: [] }, {}];
      root.textContent = '';
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: '#swagger-ui',
        layout: 'BaseLayout',
        deepLinking: true,
        filter: true,
        validatorUrl: null,
        displayOperationId: true,
        defaultModelsExpandDepth: 0,
      });
    })
    .catch(function (e) {
      root.textContent = 'Could not load the API description (openapi.json): ' + e.message;
    });
})();
`;

/**
 * The interactive API docs at `/v1/docs`: Swagger UI (swagger-ui-dist, served from this package)
 * rendering the server's own `/v1/openapi.json`. Answers 503 with a hint when the assets are missing.
 */
export function apiDocsRoutes(assetsDir: string | null = apiDocsAssetsDir()) {
  const app = new Hono();
  const missing = () =>
    'The API docs assets (swagger-ui-dist) are missing from this install; rebuild @aegis/server (pnpm build). The API description itself is at /v1/openapi.json.';
  app.get('/v1/docs', (c) => (assetsDir ? c.html(PAGE) : c.text(missing(), 503)));
  app.get('/v1/docs/', (c) => c.redirect('/v1/docs', 301));
  app.get('/v1/docs/assets/init.js', (c) =>
    c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  app.get('/v1/docs/assets/:file', async (c, next) => {
    const file = c.req.param('file');
    if (!assetsDir) return c.text(missing(), 503);
    if (!ASSETS.has(file)) return c.text('Not found', 404);
    await next();
    if (c.res.status === 200) c.res.headers.set('cache-control', 'public, max-age=3600');
  });
  if (assetsDir) {
    app.get(
      '/v1/docs/assets/:file',
      serveStatic({ root: assetsDir, rewriteRequestPath: (p) => p.replace(/^\/v1\/docs\/assets/, '') }),
    );
  }
  return app;
}
