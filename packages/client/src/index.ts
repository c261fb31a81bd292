export * from './client.js';
export type { components, operations, paths } from './schema.gen.js';
export { parseSse, type SseFrame } from './sse.js';
