import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardRoutes } from './dashboard.js';

const dir = mkdtempSync(join(tmpdir(), 'aegis-dash-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Aegis</title>');
writeFileSync(join(dir, 'assets/app-1234.js'), 'console.log(1)');
const app = dashboardRoutes({ assetsDir: dir });

describe('dashboard static serving', () => {
  it('redirects / to /dashboard/', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/');
  });

  it('serves hashed assets as immutable and client routes as index.html', async () => {
    const asset = await app.request('/dashboard/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const route = await app.request('/dashboard/sessions/abc');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Aegis</title>');
    expect((await app.request('/dashboard/assets/missing.js')).status).toBe(404);
  });

  it('explains how to build the dashboard when it is missing', async () => {
    const res = await dashboardRoutes({ assetsDir: join(dir, 'nope') }).request('/dashboard/');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/pnpm --filter @aegis\/dashboard build/);
  });
});
