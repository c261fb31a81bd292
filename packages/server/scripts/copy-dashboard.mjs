// Copies the built dashboard (apps/dashboard/dist) into dist/dashboard so the published server
// package serves it at /dashboard/ with no dependency on the private dashboard app.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(pkg, '../../apps/dashboard/dist');
const to = join(pkg, 'dist/dashboard');
rmSync(to, { recursive: true, force: true });
if (existsSync(join(from, 'index.html'))) {
  cpSync(from, to, { recursive: true });
  console.log('copied the dashboard build into dist/dashboard');
} else {
  console.warn('apps/dashboard/dist is missing: the server will answer /dashboard/ with a build hint');
}
