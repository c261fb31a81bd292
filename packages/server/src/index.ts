export type { AgentSpec } from '@aegis/acp-runtime';
export { type AegisApp, type CreateAppOptions, createApp, OPENAPI_INFO } from './app.js';
export {
  type ChannelName,
  ChannelsConfig,
  EmailConfig,
  SlackConfig,
  TelegramConfig,
} from './channels/config.js';
export type { TelegramBotInfo, TelegramGroupInfo } from './channels/setup-checks.js';
export { UNSUPPORTED_DOCUMENTED_CONFIG, UNSUPPORTED_DOCUMENTED_ENV } from './compat/documented-settings.js';
export { readConfigFile } from './config.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { openApiDocument } from './openapi.js';
/** Everything `@aegis/server/preflight` offers (what `ag doctor` and `ag setup` check) is here too. */
export * from './preflight.js';
export {
  type RunningServer,
  type StartServerOptions,
  startServer,
} from './server.js';
export { STATE_LOCK_FILE, type StateLockInfo } from './state-lock.js';
export { VERSION } from './version.js';
