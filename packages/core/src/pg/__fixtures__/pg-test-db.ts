import pg from 'pg';
import type { AegisStore } from '../../store.js';
import { openPostgresStore, type PostgresStoreOptions } from '../pg-store.js';

/**
 * The PostgreSQL the tests run against: `AEGIS_TEST_POSTGRES_URL`, default the machine's local
 * server. Every store gets a schema of its own (unique per run), dropped afterwards, so parallel
 * runs never share tables. An unreachable server fails the tests that need it; nothing is skipped.
 */
export const PG_TEST_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const schemas: string[] = [];
let counter = 0;

/** A fresh schema name for this run, dropped by {@link dropTestSchemas}. */
export function testSchema(): string {
  const name = `aegis_t_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`;
  schemas.push(name);
  return name;
}

/** Opens a store in a fresh schema; a connection failure says which variable to set. */
export async function openTestPgStore(options: Partial<PostgresStoreOptions> = {}): Promise<AegisStore> {
  try {
    return await openPostgresStore({ url: PG_TEST_URL, schema: testSchema(), poolMax: 4, ...options });
  } catch (err) {
    throw new Error(
      `PostgreSQL tests need a server: ${(err as Error).message} (set AEGIS_TEST_POSTGRES_URL, or start it with \`pg_ctlcluster --skip-systemctl-redirect 15 main start\`)`,
      { cause: err },
    );
  }
}

/** Runs one statement on its own connection (test set-up and inspection). */
export async function pgQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Drops every schema this run created. */
export async function dropTestSchemas(): Promise<void> {
  const names = schemas.splice(0);
  if (names.length === 0) return;
  await pgQuery(names.map((n) => `drop schema if exists "${n}" cascade`).join('; '));
}

/**
 * A TCP proxy in front of the test server, so a test can cut the database off (connections reset,
 * new ones refused) and bring it back on the same port, without touching the shared server.
 */
export async function startPgProxy(): Promise<{
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}> {
  const { createServer, connect } = await import('node:net');
  const target = new URL(PG_TEST_URL);
  const sockets = new Set<import('node:net').Socket>();
  let server: import('node:net').Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const s = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as import('node:net').AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  const url = new URL(PG_TEST_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), cut, restore: listen, close: cut };
}
