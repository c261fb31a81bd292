import { createRequire } from 'node:module';
import { defineCommand } from 'citty';
import { auditCommand } from './commands/audit.js';
import { keysCommand } from './commands/keys.js';
import { mcpCommand } from './commands/mcp.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const main = defineCommand({
  meta: {
    name: 'ag',
    version,
    description: 'Aegis — run Claude Code and other ACP agents as managed sessions',
  },
  default: 'serve',
  subCommands: {
    serve: serveCommand,
    run: runCommand,
    mcp: mcpCommand,
    keys: keysCommand,
    audit: auditCommand,
  },
});
