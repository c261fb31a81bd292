import { configFromEnv, ServerConfig, type ServerConfigInput } from '@aegis/server';
import { describeIssue, type LoadedConfig } from './config.js';
import { ConfigError } from './output.js';

/** Checks the whole `server:` section against the server's schema; the error names file and field. */
export function checkServerSection(config: LoadedConfig): void {
  const parsed = ServerConfig.strict().safeParse(config.server);
  if (!parsed.success)
    throw new ConfigError(`Config file ${config.path}: ${describeIssue(parsed.error.issues[0], ['server'])}`);
}

/**
 * The server's settings: flags > `AEGIS_*` environment (read by the server's own `configFromEnv`) >
 * the config file's `server:` section > defaults (applied by startServer / resolveConfig).
 */
export function serverSettings(
  config: LoadedConfig,
  flags: Partial<ServerConfigInput> = {},
): Partial<ServerConfigInput> {
  checkServerSection(config);
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { ...config.server, ...configFromEnv(), ...defined };
}
