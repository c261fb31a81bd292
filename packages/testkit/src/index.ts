export * from './fake-messages/index.js';
export { SCRIPTED_AGENT_BIN } from './scripted-agent/bin-path.js';
export { type ScriptStep, type ScriptToolStep, script } from './scripted-agent/steps.js';
