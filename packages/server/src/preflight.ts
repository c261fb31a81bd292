/**
 * `@aegis/server/preflight`: what `ag doctor` and `ag setup` check before a server starts (config,
 * state lock, work folders, capacity, channels, start-up warnings), without the HTTP app, stores
 * and tracing the main entry loads. About half the import cost of `@aegis/server`.
 */
export { bubblewrapRuntime, claudeCodeSpec, type SandboxRuntime } from '@aegis/acp-runtime';
export { AGENT_PEAK_BYTES, defaultMaxResidentAgents } from './agent-capacity.js';
export {
  type ChannelCheck,
  checkSlack,
  checkSmtp,
  checkTelegramGroup,
  checkTelegramToken,
  findTelegramGroup,
  probeChannels,
} from './channels/setup-checks.js';
export { ignoredConfigKeyWarnings } from './compat/documented-settings.js';
export { resolveConfig, ServerConfig, type ServerConfigInput } from './config.js';
export { configFromEnv } from './config-env.js';
export { type StartupWarning, startupWarnings } from './startup-warnings.js';
export { describeHolder, readStateLock, type StateLockStatus } from './state-lock.js';
export { allowedRoots, checkWorkDir } from './workdir.js';
