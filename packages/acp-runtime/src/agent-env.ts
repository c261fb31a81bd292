import { assertSessionEnv, isForbiddenAgentEnv } from '@aegis/core';
import { agentSandboxFlag } from './sandbox-flag.js';

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

/**
 * A session's own `env` (request or template), checked once more before it reaches a process:
 * a name that is malformed (`NODE_OPTIONS=--import`) or denied (case-insensitively), or a value with
 * a NUL byte, throws `VALIDATION_FAILED` naming the variable (never its value). The server refuses
 * these with 400 first; this holds for any caller that reaches the driver another way.
 */
export function checkedSessionEnv(
  env: Record<string, string> | undefined,
): Record<string, string> | undefined {
  assertSessionEnv(env, 'The session env was refused');
  return env;
}

/** Whether a variable of the server's environment is passed through to agents. */
export function isPassedThrough(key: string): boolean {
  if (isForbiddenAgentEnv(key)) return false;
  return EXACT.has(key) || PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Builds the clean environment of an agent process: an allow-list of the server's variables
 * (locale, PATH/HOME, `ANTHROPIC_*`, `CLAUDE_CODE_*`, `DISABLE_*`, ...), then configured extras, then
 * per-session variables. Malformed names, `AEGIS_*`, `LD_*`, `DYLD_*`, `NODE_OPTIONS`, `NODE_PATH`,
 * `BASH_ENV`, `ENV` and `PROMPT_COMMAND` (any case) never pass, from any layer, and neither does a
 * value with a NUL byte. `IS_SANDBOX`, from whichever layer, ends up `1` or absent (see
 * {@link agentSandboxFlag}).
 *
 * @example
 * buildAgentEnv(process.env, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' })
 */
export function buildAgentEnv(
  serverEnv: Record<string, string | undefined>,
  ...layers: (Record<string, string> | undefined)[]
): Record<string, string> {
  const env: Record<string, string> = {};
  const passes = (key: string, value: string) => !isForbiddenAgentEnv(key) && !value.includes('\0');
  for (const [key, value] of Object.entries(serverEnv)) {
    if (value !== undefined && isPassedThrough(key) && passes(key, value)) env[key] = value;
  }
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (typeof value === 'string' && passes(key, value)) env[key] = value;
    }
  }
  const sandbox = agentSandboxFlag(env.IS_SANDBOX);
  if (sandbox) env.IS_SANDBOX = sandbox;
  else delete env.IS_SANDBOX;
  return env;
}
