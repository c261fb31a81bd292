import { describeSandboxFlag } from '@aegis/acp-runtime';
import { unsupportedEnvWarnings } from './compat/documented-settings.js';
import type { ServerConfig } from './config.js';

/** One line the server logs at start-up (level `warn`): something works, but not as one may think. */
export interface StartupWarning {
  message: string;
  fields?: Record<string, unknown>;
}

/**
 * What a starting server warns about: webhooks delivered unsigned, an `IS_SANDBOX` value the agent
 * would misread (it is normalised before it reaches the agent), and environment variables of the
 * earlier Aegis documents that this server does not support. `ag doctor` shows the same.
 */
export function startupWarnings(
  config: Pick<ServerConfig, 'webhooks' | 'agentEnv'>,
  env: Record<string, string | undefined> = process.env,
): StartupWarning[] {
  const out: StartupWarning[] = [];
  const unsigned = config.webhooks.filter((w) => !w.secret).map((w) => w.url);
  if (unsigned.length > 0) {
    out.push({
      message: `webhook deliveries are unsigned: receivers cannot tell them from forged requests. Set AEGIS_WEBHOOK_SECRET (or webhooks[].secret in the config), at least 16 characters, and check the x-aegis-signature header (docs/security.md, "Webhooks")`,
      fields: { webhooks: unsigned },
    });
  }
  const sandbox = describeSandboxFlag(config.agentEnv.IS_SANDBOX ?? env.IS_SANDBOX);
  if (sandbox) out.push({ message: sandbox });
  for (const message of unsupportedEnvWarnings(env)) out.push({ message });
  return out;
}
