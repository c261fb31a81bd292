const EXACT = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'TERM',
  'TMPDIR',
  'SHELL',
  'CLAUDE_CONFIG_DIR',
  'IS_SANDBOX',
]);
const PREFIXES = ['LC_', 'ANTHROPIC_', 'CLAUDE_CODE_', 'DISABLE_'];
/** Never handed to an agent, whatever the source: our own secrets and process-injection knobs. */
const FORBIDDEN = (key: string): boolean => {
  const k = key.toUpperCase();
  return (
    k.startsWith('AEGIS_') ||
    k.startsWith('LD_') ||
    k.startsWith('DYLD_') ||
    k === 'NODE_OPTIONS' ||
    k === 'NODE_PATH' ||
    k === 'BASH_ENV' ||
    k === 'ENV' ||
    k === 'PROMPT_COMMAND'
  );
};

/** Whether a variable of the server's environment is passed through to agents. */
export function isPassedThrough(key: string): boolean {
  if (FORBIDDEN(key)) return false;
  return EXACT.has(key) || PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Builds the clean environment of an agent process: an allow-list of the server's variables
 * (locale, PATH/HOME, `ANTHROPIC_*`, `CLAUDE_CODE_*`, `DISABLE_*`, ...), then configured extras, then
 * per-session variables. `AEGIS_*`, `LD_*`, `DYLD_*`, `NODE_OPTIONS`, `NODE_PATH`, `BASH_ENV`, `ENV`
 * and `PROMPT_COMMAND` never pass, from any layer.
 *
 * @example
 * buildAgentEnv(process.env, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' })
 */
export function buildAgentEnv(
  serverEnv: Record<string, string | undefined>,
  ...layers: (Record<string, string> | undefined)[]
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(serverEnv)) {
    if (value !== undefined && isPassedThrough(key)) env[key] = value;
  }
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) if (!FORBIDDEN(key)) env[key] = value;
  }
  return env;
}
