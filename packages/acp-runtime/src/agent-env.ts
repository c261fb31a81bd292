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

/**
 * Variables a request's `env` may not set, beyond {@link FORBIDDEN}: they change which binaries,
 * libraries or interpreter hooks load (a way to run code past the permission policy), where the
 * agent's or git's configuration lives (hooks, `permissions.allow`), or where the agent's
 * credentials are sent (`*_PROXY`, `ANTHROPIC_BASE_URL`, TLS trust: a proxy or gateway chosen by
 * the caller would receive the server's `ANTHROPIC_API_KEY`). The server's own environment and
 * `agentEnv` may still set them: those are the operator's choice, not a client's.
 */
const SESSION_DENIED_EXACT = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'ZDOTDIR',
  'XDG_CONFIG_HOME',
  'CLAUDE_CONFIG_DIR',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'PS4',
  'IFS',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'SSH_ASKPASS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'ANTHROPIC_BASE_URL',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
]);
/** git's exec path, hooks, helpers and config (`GIT_CONFIG_*` injects any `core.*` setting). */
const SESSION_DENIED_PREFIXES = [
  'GIT_EXEC_PATH',
  'GIT_SSH',
  'GIT_ASKPASS',
  'GIT_EDITOR',
  'GIT_PAGER',
  'GIT_EXTERNAL_DIFF',
  'GIT_PROXY_COMMAND',
  'GIT_CONFIG',
  'GIT_TEMPLATE_DIR',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'BASH_FUNC_',
  'NPM_CONFIG_',
];

/**
 * Why a request's per-session `env` may not set `key`, or `null` when it may. The server answers
 * 400 naming the variable rather than dropping it silently.
 *
 * @example
 * sessionEnvDenial('PATH') // 'changes which binaries or libraries load, …'
 */
export function sessionEnvDenial(key: string): string | null {
  const k = key.toUpperCase();
  if (k.startsWith('AEGIS_')) return "is reserved for Aegis's own configuration and secrets";
  if (FORBIDDEN(k) || SESSION_DENIED_EXACT.has(k) || SESSION_DENIED_PREFIXES.some((p) => k.startsWith(p))) {
    if (k.endsWith('_PROXY') || k === 'ANTHROPIC_BASE_URL' || /CERT|CA_BUNDLE|TLS/.test(k)) {
      return "changes where the agent's traffic and credentials go; set it in the server's agentEnv instead";
    }
    return "changes which binaries, libraries or configuration the agent loads; set it in the server's agentEnv instead";
  }
  return null;
}

/** `env` without the variables {@link sessionEnvDenial} refuses (defence in depth behind the API's 400). */
export function withoutDeniedSessionEnv(
  env: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!env) return env;
  return Object.fromEntries(Object.entries(env).filter(([k]) => sessionEnvDenial(k) === null));
}

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
