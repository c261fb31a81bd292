export { buildAgentEnv, isPassedThrough } from './agent-env.js';
export {
  CLAUDE_CODE_CONVERSATION,
  type ConversationMark,
  type ConversationSpec,
  captureConversationFiles,
  restoreConversationFiles,
} from './conversation-files.js';
export { type AcpDriver, type AcpDriverOptions, createAcpDriver } from './driver.js';
export { type AgentSpec, CLAUDE_CODE, claudeCodeSpec } from './registry.js';
export { bubblewrapRuntime } from './sandbox/bubblewrap.js';
export type { EgressAttempt } from './sandbox/egress-proxy.js';
export { type HostPattern, hostAllowed, parseHostPattern } from './sandbox/host-pattern.js';
export {
  prepareSandbox,
  removeSandbox,
  SANDBOX_EGRESS_PORT,
  type SandboxHostOptions,
  sandboxHome,
} from './sandbox/sandbox.js';
export type { SandboxLaunch, SandboxPolicy, SandboxRuntime } from './sandbox/types.js';
export { agentSandboxFlag, describeSandboxFlag } from './sandbox-flag.js';
export { CLIENT_CAPABILITIES } from './translate.js';
export { type PoolLaunch, type PoolOptions, WarmPool } from './warm-pool.js';
