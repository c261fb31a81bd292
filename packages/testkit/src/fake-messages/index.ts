export { type ClaudeAgentEnvOptions, claudeAgentEnv } from './env.js';
export {
  chunkText,
  classifyRequest,
  currentTurn,
  DEFAULT_REPLY_PREFIX,
  FAKE_MESSAGES_RULES,
  type FakeRuleId,
  findCwd,
  findTool,
  type MessagesRequestBody,
  type PlanContext,
  planReply,
  stripReminders,
  type TurnInfo,
} from './rules.js';
export { startFakeMessagesApi } from './server.js';
export type {
  FakeMessagesApi,
  FakeMessagesApiOptions,
  PlannedBlock,
  PlannedReply,
  RecordedRequest,
  RequestKind,
  ToolDef,
} from './types.js';
