import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its `package.json` (one level above both `src/` and `dist/`),
 * so the ACP `initialize` reports what is installed rather than a copied literal.
 */
export const ACP_RUNTIME_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
