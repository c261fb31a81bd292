import type { ServerConfigInput } from '@aegis/server';
import { releaseYoungGeneration } from '@aegis/server/young-generation';
import { defineCommand } from 'citty';
import { loadConfig } from '../config.js';
import { consola } from '../log.js';
import { reportError } from '../output.js';
import { configFileWarnings, serverSettings } from '../server-settings.js';

export const serveCommand = defineCommand({
  meta: { name: 'serve', description: 'Start the Aegis server (default 127.0.0.1:9100)' },
  args: {
    host: { type: 'string', description: 'Address to bind (AEGIS_HOST)' },
    port: { type: 'string', description: 'Port to listen on (AEGIS_PORT)' },
    config: { type: 'string', description: 'Config file (default ./.aegis/config.yaml, then ~/.aegis/…)' },
    store: {
      type: 'string',
      description: 'Session store: sqlite (or file; the default) or postgres (AEGIS_SESSION_STORE)',
    },
    'postgres-url': {
      type: 'string',
      description:
        'PostgreSQL URL for --store postgres, postgres://user:pass@host:port/db (AEGIS_POSTGRES_URL)',
    },
    'pg-schema': { type: 'string', description: 'PostgreSQL schema for the tables (AEGIS_PG_SCHEMA)' },
    'pg-pool-max': { type: 'string', description: 'PostgreSQL connections to keep (AEGIS_PG_POOL_MAX)' },
  },
  async run({ args }) {
    // consola stamps every line with toLocaleTimeString() (shown only on a wide terminal), which
    // pages in ICU's date-format data: ~5 MiB of RSS for the server's whole life.
    consola.options.formatOptions.date = false;
    const { startServer } = await import('@aegis/server');
    // flags > AEGIS_* environment > config file > defaults (see ../config.ts).
    const server = await (async () => {
      const config = loadConfig(args.config);
      const settings = serverSettings(config, {
        host: args.host || undefined,
        port: args.port ? Number(args.port) : undefined,
        sessionStore: (args.store?.trim().toLowerCase() || undefined) as ServerConfigInput['sessionStore'],
        postgresUrl: args['postgres-url'] || undefined,
        pgSchema: args['pg-schema'] || undefined,
        pgPoolMax: args['pg-pool-max'] ? Number(args['pg-pool-max']) : undefined,
      });
      if (config.path) consola.info(`Using config ${config.path}`);
      return startServer({ ignoreEnv: true, config: settings, warnings: configFileWarnings(config) });
    })().catch((err: unknown) => {
      // A configuration problem (invalid file, missing webhook secret, public address without a
      // key, port taken, ...) is the operator's to fix: say what to do, without a stack trace.
      process.exit(reportError(err));
    });
    // Loaded and listening: V8 may grow the young generation again (held since bin.ts).
    releaseYoungGeneration();
    consola.success(banner(server.url, server.config.dashboardEnabled));
    // Shutdown is bounded: agents get their grace (stdin end → SIGTERM → SIGKILL, ~4 s), but a
    // wedged store or agent must not keep the port and the state dir busy forever. A second signal
    // stops at once.
    const SHUTDOWN_BOUND_MS = 10_000;
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        consola.warn(`${signal} again: exiting without waiting for the shutdown to finish.`);
        process.exit(1);
      }
      stopping = true;
      consola.info(`${signal}: shutting down…`);
      setTimeout(() => {
        consola.error(`Shutdown did not finish within ${SHUTDOWN_BOUND_MS / 1000} s; exiting anyway.`);
        process.exit(1);
      }, SHUTDOWN_BOUND_MS).unref();
      try {
        const { suspended } = await server.close();
        if (suspended > 0)
          consola.info(
            `${suspended} live session${suspended === 1 ? '' : 's'} left resumable: their agents were stopped, and each resumes its conversation on its next prompt.`,
          );
      } catch (err) {
        consola.error('Shutdown failed:', err);
        process.exit(1);
      }
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    await new Promise(() => {});
  },
});

/** What `ag serve` prints once it listens: where the dashboard and the API docs are. */
export function banner(url: string, dashboardEnabled: boolean): string {
  return [
    `Aegis is listening on ${url}`,
    `  Dashboard  ${dashboardEnabled ? `${url}/dashboard/` : 'off (dashboardEnabled: false)'}`,
    `  API docs   ${url}/v1/docs  (OpenAPI: ${url}/v1/openapi.json)`,
  ].join('\n');
}
