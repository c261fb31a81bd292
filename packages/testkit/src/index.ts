export * from './fake-messages/index.js';
export { freePort, startTcpTap, type TcpTap } from './net/index.js';
export {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './otlp-receiver/index.js';
export { SCRIPTED_AGENT_BIN } from './scripted-agent/bin-path.js';
export {
  type ScriptedAgentSpec,
  type ScriptedServerConfig,
  scriptedAgentSpec,
  scriptedServerConfig,
} from './scripted-agent/server-config.js';
export { type ScriptStep, type ScriptToolStep, script } from './scripted-agent/steps.js';
export {
  type FakeSlackApi,
  type SlackFault,
  type SlackMessage,
  signInteraction,
  startFakeSlackApi,
} from './slack-api/server.js';
export { type ReceivedMail, SMTP_SINK_BIN, type SmtpSink, startSmtpSink } from './smtp-sink/index.js';
export {
  type FakeTelegramApi,
  type FakeTelegramOptions,
  type SentMessage,
  startFakeTelegramApi,
  type TelegramCall,
  type TelegramFault,
  type TelegramUser,
} from './telegram-api/server.js';
