import { join } from 'node:path';
import { AegisError, type AegisStore, describeUrl } from '@aegis/core';
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
    const store = await openPostgresStore({ url, schema: config.pgSchema, poolMax: config.pgPoolMax }).catch(
      (err: unknown) => {
        // Core says it could not connect; the server knows where the URL came from.
        if (err instanceof AegisError && err.code === 'STORE_UNAVAILABLE' && err.details?.host !== undefined)
          throw new AegisError(
            err.code,
            `${err.message} The URL is AEGIS_POSTGRES_URL (or postgresUrl in the config file, or --postgres-url).`,
            { cause: err, details: err.details },
          );
        throw err;
      },
    );
    const { where } = describeUrl(url);
    return { store, location: `postgres://${where}${config.pgSchema ? ` (schema ${config.pgSchema})` : ''}` };
  }
  const path = config.dbPath ?? join(config.stateDir, 'aegis.db');
  return { store: createSqliteStore({ path }), location: path };
}
