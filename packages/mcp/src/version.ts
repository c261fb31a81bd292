import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its `package.json` (one level above both `src/` and `dist/`),
 * so the MCP handshake reports what is installed rather than a copied literal.
 */
export const MCP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
