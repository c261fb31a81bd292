import { createRequire } from 'node:module';
import { defineCommand } from 'citty';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// Commands load on first use, so `ag --version` or `ag list` do not pay for the server's imports.
export const main = defineCommand({
  meta: {
    name: 'ag',
    version,
    description:
      'Aegis — run Claude Code and other ACP agents as managed sessions. `ag` alone runs `ag serve` (the API and dashboard on 127.0.0.1:9100).',
  },
  default: 'serve',
  subCommands: {
    serve: () => import('./commands/serve.js').then((m) => m.serveCommand),
    run: () => import('./commands/run.js').then((m) => m.runCommand),
    init: () => import('./commands/init.js').then((m) => m.initCommand),
    doctor: () => import('./commands/doctor.js').then((m) => m.doctorCommand),
    create: () => import('./commands/create.js').then((m) => m.createCommand),
    list: () => import('./commands/list.js').then((m) => m.listCommand),
    send: () => import('./commands/send.js').then((m) => m.sendCommand),
    approve: () => import('./commands/answer.js').then((m) => m.approveCommand),
    reject: () => import('./commands/answer.js').then((m) => m.rejectCommand),
    logs: () => import('./commands/logs.js').then((m) => m.logsCommand),
    kill: () => import('./commands/kill.js').then((m) => m.killCommand),
    nodes: () => import('./commands/nodes.js').then((m) => m.nodesCommand),
    mcp: () => import('./commands/mcp.js').then((m) => m.mcpCommand),
    keys: () => import('./commands/keys.js').then((m) => m.keysCommand),
    audit: () => import('./commands/audit.js').then((m) => m.auditCommand),
    usage: () => import('./commands/usage.js').then((m) => m.usageCommand),
    login: () => import('./commands/login.js').then((m) => m.loginCommand),
    logout: () => import('./commands/login.js').then((m) => m.logoutCommand),
    whoami: () => import('./commands/login.js').then((m) => m.whoamiCommand),
    routine: () => import('./commands/routine.js').then((m) => m.routineCommand),
    setup: () => import('./commands/setup.js').then((m) => m.setupCommand),
  },
});
