export { buildAgentEnv, isPassedThrough } from './agent-env.js';
export { CLAUDE_CODE_CONVERSATION, type ConversationSpec } from './conversation-files.js';
export { type AcpDriver, type AcpDriverOptions, createAcpDriver } from './driver.js';
export { type AgentSpec, CLAUDE_CODE, claudeCodeSpec } from './registry.js';
export { agentSandboxFlag, describeSandboxFlag } from './sandbox-flag.js';
export { type PoolOptions, WarmPool } from './warm-pool.js';
