/**
 * The one module that knows ACP message shapes. Everything the agent says is mapped here into core
 * event bodies, permission requests, agent info and `AegisError`s; an ACP version bump should touch
 * only this module (this file and `translate/`) and its tests. The rest of the package imports from
 * this file only:
 * - `translate/updates.ts`: `session/update` → core event bodies, and the agent's modes, models, commands
 * - `translate/fast-update.ts`: the hand-checked fast path for a turn's hot notifications
 * - `translate/agent-requests.ts`: permission requests and question forms (elicitation), both ways
 * - `translate/calls.ts`: what Aegis sends (`initialize`, `session/prompt`) and reads back
 * - `translate/errors.ts`: JSON-RPC errors from the agent → `AegisError`
 */
export {
  toElicitationResponse,
  toPermissionRequest,
  toPermissionResponse,
  toQuestionRequest,
} from './translate/agent-requests.js';
export {
  type AgentInit,
  CLIENT_CAPABILITIES,
  initializeParams,
  promptParams,
  readInitialize,
  toStopReason,
  toTurnTokens,
} from './translate/calls.js';
export { AUTH_HINT, toAegisError } from './translate/errors.js';
export { fastUpdate } from './translate/fast-update.js';
export { contentText } from './translate/tool-fields.js';
export { AcpTranslator, type ModelChoice } from './translate/updates.js';
