export * from './fake-messages/index.js';
export { type ScriptStep, type ScriptToolStep, script } from './scripted-agent/steps.js';
