import { defineCommand } from 'citty';
import {
  type Check,
  checkAgent,
  checkAuth,
  checkCapacity,
  checkConfig,
  checkNode,
  checkPort,
  checkStateDir,
  checkStateLock,
  checkWorkHere,
} from '../doctor-checks.js';
import { checkChannels, checkSandbox, checkStartupWarnings } from '../doctor-feature-checks.js';
import { guarded, paint, printJson } from '../output.js';

/** Runs every check; none of them changes anything on disk. */
export async function runChecks(args: {
  config?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
}): Promise<Check[]> {
  const { check: config, config: loaded, server } = checkConfig(args.config, args);
  const agent = await checkAgent(server);
  const { claude, ...agentCheck } = agent;
  return [
    checkNode(),
    config,
    agentCheck,
    checkAuth(server, claude),
    await checkPort(server),
    await checkStateDir(server),
    checkWorkHere(server, loaded.path),
    checkCapacity(server),
    checkStateLock(server),
    await checkSandbox(server),
    checkStartupWarnings(server, loaded),
    await checkChannels(server),
  ];
}

function render(c: Check): string {
  const mark = c.ok ? paint.green('✓') : c.required ? paint.red('✗') : paint.yellow('!');
  const line = `${mark} ${c.title.padEnd(12)} ${c.detail}\n`;
  return c.fix && !c.ok ? `${line}  ${paint.dim('fix:')} ${c.fix}\n` : line;
}

export const doctorCommand = defineCommand({
  meta: {
    name: 'doctor',
    description:
      'Check Node, the agent binary, Claude credentials, the port, the state dir and who holds it, whether a session may work in this folder, and what the server would warn about at start-up',
  },
  args: {
    config: { type: 'string', description: 'Config file to check (default: the one `ag serve` would use)' },
    host: { type: 'string', description: 'Host `ag serve` would bind (AEGIS_HOST)' },
    port: { type: 'string', description: 'Port `ag serve` would use (AEGIS_PORT)' },
    json: { type: 'boolean', description: 'Print JSON: { ok, checks: [...] }' },
  },
  run: guarded(async ({ args }) => {
    const checks = await runChecks(args);
    const failed = checks.filter((c) => !c.ok && c.required);
    if (args.json) printJson({ ok: failed.length === 0, checks });
    else {
      for (const c of checks) process.stdout.write(render(c));
      process.stdout.write(
        failed.length === 0
          ? `${paint.green('All required checks passed.')}\n`
          : `${paint.red(`${failed.length} required check${failed.length > 1 ? 's' : ''} failed.`)}\n`,
      );
    }
    return failed.length === 0 ? 0 : 1;
  }),
});
