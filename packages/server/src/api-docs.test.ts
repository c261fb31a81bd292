import { describe, expect, it } from 'vitest';
import { apiDocsAssetsDir, apiDocsRoutes } from './api-docs.js';

const app = apiDocsRoutes();

describe('/v1/docs: Swagger UI from local assets', () => {
  it('finds the swagger-ui-dist files', () => {
    expect(apiDocsAssetsDir()).toBeTruthy();
  });

  it('the page loads only its own relative assets (no CDN) and the initializer reads openapi.json', async () => {
    const res = await app.request('/v1/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual([
      'docs/assets/favicon-32x32.png',
      'docs/assets/swagger-ui.css',
      'docs/assets/swagger-ui-bundle.js',
      'docs/assets/init.js',
    ]);
    const init = await (await app.request('/v1/docs/assets/init.js')).text();
    expect(init).toContain("fetch('openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it.each([
    ['swagger-ui-bundle.js', /javascript/],
    ['swagger-ui.css', /text\/css/],
  ])('serves %s with its content type', async (file, type) => {
    const res = await app.request(`/v1/docs/assets/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });

  it('serves no other file of the package', async () => {
    for (const f of ['package.json', 'swagger-ui-bundle.js.map', '..%2Fpackage.json'])
      expect((await app.request(`/v1/docs/assets/${f}`)).status).toBe(404);
  });

  it('says how to fix a missing install instead of a blank page', async () => {
    const res = await apiDocsRoutes(null).request('/v1/docs');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/rebuild @aegis\/server .*\/v1\/openapi\.json/);
  });
});
