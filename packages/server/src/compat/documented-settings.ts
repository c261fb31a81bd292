import { ownValue } from './own-value.js';

/**
 * Environment variables and config keys that the earlier Aegis documents describe but this server
 * does not support, each with the reason. A starting server names every one that is set (never a
 * refusal to start), and docs/compatibility.md lists them all.
 */
export const UNSUPPORTED_DOCUMENTED_ENV: Readonly<Record<string, string>> = Object.freeze({
  AEGIS_TMUX_SESSION: 'sessions run agents over ACP (JSON-RPC on stdio), not in tmux windows',
  AEGIS_HOOK_SECRET_HEADER_ONLY:
    'this server receives no Claude Code HTTP hooks (the agent speaks ACP), so there is no hook secret',
  AEGIS_PG_TABLE:
    'the PostgreSQL store uses its own set of tables (choose their schema with AEGIS_PG_SCHEMA)',
  AEGIS_REDIS_URL: 'there is no Redis store; use sqlite (one machine) or postgres (several nodes)',
  AEGIS_REDIS_KEY_PREFIX: 'there is no Redis store; use sqlite (one machine) or postgres (several nodes)',
});

/** Keys of the documented flat config file (`~/.aegis/config.yaml`) this server does not support. */
export const UNSUPPORTED_DOCUMENTED_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  memoryBridge: 'shared memory is always on: /v1/memory (MCP memory_set / memory_get)',
  tmuxSession: 'sessions run agents over ACP, not in tmux windows',
  hookSecretHeaderOnly: 'this server receives no Claude Code HTTP hooks',
});

/** One warning per documented-but-unsupported variable set in `env` (its value is never shown). */
export function unsupportedEnvWarnings(env: Record<string, string | undefined>): string[] {
  return Object.entries(UNSUPPORTED_DOCUMENTED_ENV)
    .filter(([name]) => (env[name] ?? '') !== '')
    .map(([name, why]) => `${name} is set but not supported by this server and is ignored: ${why}`);
}

/** One warning per config-file key this server ignores, with the reason where the documents had it. */
export function ignoredConfigKeyWarnings(file: string, keys: string[]): string[] {
  return keys.map((key) => {
    const why = ownValue(UNSUPPORTED_DOCUMENTED_CONFIG, key);
    return `${file}: the key \`${key}\` is not supported by this server and is ignored${why ? `: ${why}` : ''}`;
  });
}
