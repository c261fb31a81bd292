// Copies the Swagger UI files /v1/docs loads (swagger-ui-dist, a devDependency pinned in
// package.json) into dist/api-docs, with its licence and notice: the published server serves its
// API docs with no CDN and no install-time dependency (swagger-ui-dist pulls in @scarf/scarf, an
// install-time analytics script).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = dirname(createRequire(join(pkg, 'package.json')).resolve('swagger-ui-dist/package.json'));
const to = join(pkg, 'dist/api-docs');
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const f of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'LICENSE', 'NOTICE'])
  copyFileSync(join(from, f), join(to, f));
console.log(`copied swagger-ui-dist into dist/api-docs`);
