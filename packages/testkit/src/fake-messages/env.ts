export interface ClaudeAgentEnvOptions {
  /** Messages API base URL, e.g. the fake's `url` or a real gateway. */
  baseUrl: string;
  /** HOME for the agent (use a fresh temp dir per test; Claude Code keeps state in `$HOME/.claude`). */
  home: string;
  /** API key to send. Default `"dummy"`. Pass `null` to leave `ANTHROPIC_API_KEY` out entirely. */
  apiKey?: string | null;
  /** PATH for the agent. Default: this process's PATH. */
  path?: string;
  /** Extra variables, applied last. */
  extra?: Record<string, string>;
}

/**
 * A CLEAN environment for the Claude Code ACP adapter (not this process's whole env), as described in
 * ACP-NOTES: the only connection the agent makes is to `baseUrl`.
 */
export function claudeAgentEnv(options: ClaudeAgentEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: options.path ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: options.home,
    ANTHROPIC_BASE_URL: options.baseUrl,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION: 'false',
    IS_SANDBOX: '1',
  };
  const apiKey = options.apiKey === undefined ? 'dummy' : options.apiKey;
  if (apiKey !== null) env.ANTHROPIC_API_KEY = apiKey;
  return { ...env, ...(options.extra ?? {}) };
}
