export * from './fake-messages/index.js';
export { SCRIPTED_AGENT_BIN } from './scripted-agent/bin-path.js';
export {
  type ScriptedAgentSpec,
  type ScriptedServerConfig,
  scriptedAgentSpec,
  scriptedServerConfig,
} from './scripted-agent/server-config.js';
export { type ScriptStep, type ScriptToolStep, script } from './scripted-agent/steps.js';
