import { z } from 'zod';

const RuntimeEnv = z.object({
  /** Overrides the default agent's command line (split on whitespace), e.g. `node /opt/my-agent.js --acp`. */
  AEGIS_ACP_BIN: z.string().trim().min(1).optional().catch(undefined),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv> & { inherited: Record<string, string> };

/** The one place acp-runtime reads `process.env`. `inherited` is the raw server env, filtered later. */
export function readRuntimeEnv(source: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const inherited: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) inherited[key] = value;
  return { ...RuntimeEnv.parse(source), inherited };
}
