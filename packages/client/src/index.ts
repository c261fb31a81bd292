export * from './client.js';
export type { components, operations, paths } from './schema.gen.js';
/** Every session state and permission mode, in the spec's order (generated from openapi.json). */
export {
  permissionModeValues as PERMISSION_MODES,
  sessionStatusValues as SESSION_STATUSES,
} from './schema.gen.js';
export { parseSse, type SseFrame } from './sse.js';
