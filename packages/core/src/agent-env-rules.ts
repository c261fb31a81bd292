import { AegisError } from './errors.js';

/**
 * Which environment variables may reach an agent process. One definition, used by the HTTP schemas,
 * the engine, templates and the ACP driver alike, so no door checks a looser copy.
 */

/** A portable environment variable name. Anything else (`=`, NUL, spaces, `%`) is refused. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const NAME_ADVICE =
  'use letters, digits and "_", not starting with a digit (a name cannot contain "=": the process environment is built as name=value)';

/** Never handed to an agent from any layer: Aegis's own secrets and process-injection knobs. */
export function isForbiddenAgentEnv(name: string): boolean {
  if (!ENV_NAME_PATTERN.test(name)) return true;
  const k = name.toUpperCase();
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
}

/**
 * Variables a session's own `env` (request or template) may not set, beyond
 * {@link isForbiddenAgentEnv}: they change which binaries, libraries or interpreter hooks load (a
 * way to run code past the permission policy), where the agent's or git's configuration lives
 * (hooks, `permissions.allow`), or where the agent's credentials are sent (`*_PROXY`,
 * `ANTHROPIC_BASE_URL`, TLS trust: a proxy chosen by the caller would receive the server's
 * `ANTHROPIC_API_KEY`). The server's environment and `agentEnv` may still set them.
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

/** How a variable name is shown in an error: as is when valid, quoted and cut short otherwise. */
export function envNameForMessage(name: string): string {
  return ENV_NAME_PATTERN.test(name) ? name : JSON.stringify(name.slice(0, 60));
}

/**
 * Why a session's own `env` may not set `name`, or `null` when it may. Case-insensitive: `http_proxy`
 * is refused like `HTTP_PROXY`.
 *
 * @example
 * sessionEnvDenial('PATH') // 'changes which binaries, libraries or configuration the agent loads; …'
 * sessionEnvDenial('NODE_OPTIONS=--import') // 'is not a valid environment variable name; …'
 */
export function sessionEnvDenial(name: string): string | null {
  if (!ENV_NAME_PATTERN.test(name)) return `is not a valid environment variable name; ${NAME_ADVICE}`;
  const k = name.toUpperCase();
  if (k.startsWith('AEGIS_')) return "is reserved for Aegis's own configuration and secrets";
  if (
    isForbiddenAgentEnv(k) ||
    SESSION_DENIED_EXACT.has(k) ||
    SESSION_DENIED_PREFIXES.some((p) => k.startsWith(p))
  ) {
    if (k.endsWith('_PROXY') || k === 'ANTHROPIC_BASE_URL' || /CERT|CA_BUNDLE|TLS/.test(k)) {
      return "changes where the agent's traffic and credentials go; set it in the server's agentEnv instead";
    }
    return "changes which binaries, libraries or configuration the agent loads; set it in the server's agentEnv instead";
  }
  return null;
}

/** One refused variable of a session env: its name and a message that names it (never its value). */
export interface EnvProblem {
  name: string;
  message: string;
}

/**
 * Every variable of a session's own `env` that may not reach the agent: a denied or malformed
 * name, or a value with a NUL byte (which no process environment can hold). Messages name the
 * variable and say what to do; they never contain the value.
 */
export function sessionEnvProblems(env: Record<string, string> | null | undefined): EnvProblem[] {
  const problems: EnvProblem[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    const shown = envNameForMessage(name);
    const why = sessionEnvDenial(name);
    if (why) problems.push({ name, message: `env variable ${shown} ${why}` });
    else if (typeof value !== 'string' || value.includes('\0')) {
      problems.push({
        name,
        message: `env variable ${shown} has a value with a NUL byte, which an environment variable cannot hold; remove it`,
      });
    }
  }
  return problems;
}

/**
 * Throws `VALIDATION_FAILED` (400) naming every refused variable of a session env; `where` says
 * whose env it is (e.g. "Template ci").
 */
export function assertSessionEnv(env: Record<string, string> | null | undefined, where?: string): void {
  const problems = sessionEnvProblems(env);
  if (problems.length === 0) return;
  const prefix = where ? `${where}: ` : '';
  throw AegisError.validation(`${prefix}${problems.map((p) => p.message).join('; ')}.`, {
    variables: problems.map((p) => envNameForMessage(p.name)),
  });
}
