import {
  configFromEnv,
  ignoredConfigKeyWarnings,
  ServerConfig,
  type ServerConfigInput,
} from '@aegis/server/preflight';
import { describeIssue, type LoadedConfig } from './config.js';
import { ConfigError } from './output.js';

/** Checks the whole `server:` section against the server's schema; the error names file and field. */
export function checkServerSection(config: LoadedConfig): void {
  // Once per command, on a fresh schema: zod's generated fast path would cost more than it saves.
  const parsed = ServerConfig.strict().safeParse(knownServerKeys(config), { jitless: true });
  if (!parsed.success)
    throw new ConfigError(
      `Config file ${config.path}: ${describeIssue(parsed.error.issues[0], config.flat ? [] : ['server'])}`,
    );
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
  return { ...knownServerKeys(config), ...configFromEnv(), ...defined };
}

/** The server settings of the file: all of `server:`, or of a flat file only the keys the server knows. */
function knownServerKeys(config: LoadedConfig): Partial<ServerConfigInput> {
  if (!config.flat) return config.server;
  const known = new Set(Object.keys(ServerConfig.shape));
  return Object.fromEntries(Object.entries(config.server).filter(([k]) => known.has(k)));
}

/**
 * What a server started with this file should warn about: keys of a flat file (the earlier
 * documents' form) that the server does not know and ignores. A `server:` section is strict instead.
 */
export function configFileWarnings(config: LoadedConfig): string[] {
  if (!config.flat || !config.path) return [];
  const known = new Set(Object.keys(ServerConfig.shape));
  return ignoredConfigKeyWarnings(
    config.path,
    Object.keys(config.server).filter((k) => !known.has(k)),
  );
}
