import { join } from 'node:path';
import { type AegisStore, describeUrl } from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';
import { type ServerConfig, sessionStoreOf } from './config.js';

/** The store the configuration selects, opened (and migrated), and where it lives for logs. */
export async function openConfiguredStore(
  config: ServerConfig,
): Promise<{ store: AegisStore; location: string }> {
  if (sessionStoreOf(config) === 'postgres') {
    const url = config.postgresUrl as string; // resolveConfig requires it for `postgres`
    // The driver and drizzle's PostgreSQL code load only for this store.
    const { openPostgresStore } = await import('@aegis/core/pg');
    const store = await openPostgresStore({ url, schema: config.pgSchema, poolMax: config.pgPoolMax });
    const { where } = describeUrl(url);
    return { store, location: `postgres://${where}${config.pgSchema ? ` (schema ${config.pgSchema})` : ''}` };
  }
  const path = config.dbPath ?? join(config.stateDir, 'aegis.db');
  return { store: createSqliteStore({ path }), location: path };
}
