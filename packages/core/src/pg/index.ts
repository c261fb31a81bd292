/**
 * `@aegis/core/pg`: the PostgreSQL store, for several Aegis nodes sharing one database. Kept off the
 * main entry (like `@aegis/core/sqlite`) so `@aegis/core` stays free of Node built-ins and drivers.
 */
export {
  DEFAULT_PG_MIGRATIONS_FOLDER,
  DEFAULT_PG_POOL_MAX,
  DEFAULT_PG_SCHEMA,
  describeUrl,
  MIGRATIONS_TABLE,
} from './open-database.js';
export { openPostgresStore, type PostgresStoreOptions } from './pg-store.js';
export * as pgSchema from './schema.js';
