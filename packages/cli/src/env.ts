import { homedir } from 'node:os';
import { z } from 'zod';

const CliEnv = z.object({
  AEGIS_BASE_URL: z.string().url().optional(),
  AEGIS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  AEGIS_HOST: z.string().min(1).optional(),
  AEGIS_AUTH_TOKEN: z.string().min(1).optional(),
  AEGIS_ACP_BIN: z.string().trim().min(1).optional(),
  CLAUDE_CONFIG_DIR: z.string().min(1).optional(),
  /** Where `ag login` keeps its tokens: `$XDG_CONFIG_HOME/aegis` (else ~/.config/aegis; %APPDATA%\\aegis on Windows). */
  XDG_CONFIG_HOME: z.string().min(1).optional(),
  APPDATA: z.string().min(1).optional(),
  /** Set in CI: `ag login` never opens a browser there. */
  CI: z.string().optional(),
  PATH: z.string().default(''),
});
export type CliEnv = z.infer<typeof CliEnv>;

/** The CLI's environment variables, read here only. */
export function cliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = CliEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Variables that give the Claude agent credentials or a gateway, by name (values are never read out). */
export const CLAUDE_AUTH_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
] as const;

/** Which of {@link CLAUDE_AUTH_VARS} are set (non-empty). */
export function claudeAuthVarsSet(env: NodeJS.ProcessEnv = process.env): string[] {
  return CLAUDE_AUTH_VARS.filter((name) => (env[name] ?? '').trim() !== '');
}

export const home = (): string => homedir();
