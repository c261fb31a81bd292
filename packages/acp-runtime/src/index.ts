export { buildAgentEnv, isPassedThrough } from './agent-env.js';
export { type AcpDriverOptions, createAcpDriver } from './driver.js';
export { type AgentSpec, CLAUDE_CODE, claudeCodeSpec } from './registry.js';
