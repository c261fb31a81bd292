/**
 * `IS_SANDBOX` tells Claude Code it runs in a sandbox, the one case where it agrees to skip
 * permission checks as root. The Claude Code adapter reads *any* non-empty value as "bypass
 * allowed" while Claude Code itself only accepts `1`, so a value such as `yes` or `0` made every
 * session started as root fail. The agent is given either `IS_SANDBOX=1` or nothing.
 */

const YES = /^(1|true|yes|y|on)$/i;

/** What an agent receives for a given `IS_SANDBOX` value: `'1'` for a yes-like value, else nothing. */
export function agentSandboxFlag(value: string | undefined): '1' | undefined {
  return value !== undefined && YES.test(value.trim()) ? '1' : undefined;
}

/**
 * A sentence saying how a server-side `IS_SANDBOX` value is passed on, or `null` when it is `1`
 * or unset (nothing to say). For start-up logs and `ag doctor`.
 *
 * @example
 * describeSandboxFlag('yes') // 'IS_SANDBOX="yes" is passed to agents as IS_SANDBOX=1 (…)'
 */
export function describeSandboxFlag(value: string | undefined): string | null {
  if (value === undefined || value === '1') return null;
  const shown = JSON.stringify(value.slice(0, 40));
  return agentSandboxFlag(value) === '1'
    ? `IS_SANDBOX=${shown} is passed to agents as IS_SANDBOX=1 (Claude Code accepts only "1"; the adapter reads any value as "skip permission checks allowed")`
    : `IS_SANDBOX=${shown} is not passed to agents (only a yes-like value becomes IS_SANDBOX=1; the adapter would read any value as "skip permission checks allowed" and Claude Code then refuses to run as root)`;
}
