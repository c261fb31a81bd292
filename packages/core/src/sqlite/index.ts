/**
 * `@aegis/core/sqlite`: the durable, Node-only store. Kept off the main entry so `@aegis/core`
 * stays free of native modules.
 */
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_MIGRATIONS_FOLDER } from './open-database.js';
export * as sqliteSchema from './schema.js';
export { createSqliteApiKeyStore, createSqliteAuditStore } from './security-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
