/** The bundled Claude Code adapter's command, as the server starts it (for `ag doctor`). */
export {
  type AgentSpec,
  bubblewrapRuntime,
  claudeCodeSpec,
  type SandboxRuntime,
} from '@aegis/acp-runtime';
export { AGENT_PEAK_BYTES, defaultMaxResidentAgents } from './agent-capacity.js';
export { type AegisApp, type CreateAppOptions, createApp, OPENAPI_INFO } from './app.js';
export {
  type ChannelName,
  ChannelsConfig,
  EmailConfig,
  SlackConfig,
  TelegramConfig,
} from './channels/config.js';
export {
  type ChannelCheck,
  checkSlack,
  checkSmtp,
  checkTelegramGroup,
  checkTelegramToken,
  findTelegramGroup,
  probeChannels,
  type TelegramBotInfo,
  type TelegramGroupInfo,
} from './channels/setup-checks.js';
export {
  ignoredConfigKeyWarnings,
  UNSUPPORTED_DOCUMENTED_CONFIG,
  UNSUPPORTED_DOCUMENTED_ENV,
} from './compat/documented-settings.js';
export {
  readConfigFile,
  resolveConfig,
  ServerConfig,
  type ServerConfigInput,
} from './config.js';
export { configFromEnv } from './config-env.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { openApiDocument } from './openapi.js';
export {
  type RunningServer,
  type StartServerOptions,
  startServer,
} from './server.js';
export { type StartupWarning, startupWarnings } from './startup-warnings.js';
export {
  describeHolder,
  readStateLock,
  STATE_LOCK_FILE,
  type StateLockInfo,
  type StateLockStatus,
} from './state-lock.js';
export { VERSION } from './version.js';
export { allowedRoots, checkWorkDir } from './workdir.js';
