import { AegisClient } from '@aegis/client';
import { type Connection, connection, type LoadedConfig, loadConfig } from './config.js';
import { freshAccessToken } from './login-store.js';
import { ConnectionLostError, isCutOff, UnreachableError } from './output.js';

/** Flags every command that talks to a server accepts. */
export const connectionArgs = {
  url: { type: 'string', description: 'Server URL (default AEGIS_BASE_URL or http://127.0.0.1:9100)' },
  port: { type: 'string', description: 'Port of a server on AEGIS_HOST / 127.0.0.1 (shortcut for --url)' },
  token: {
    type: 'string',
    description: 'API key secret (default AEGIS_AUTH_TOKEN, then the `ag login` sign-in)',
  },
  config: { type: 'string', description: 'Config file (default ./.aegis/config.yaml, then ~/.aegis/…)' },
} as const;

export const jsonArg = {
  json: { type: 'boolean', description: 'Print machine-readable JSON on stdout' },
} as const;

export interface ConnectArgs {
  url?: string | undefined;
  port?: string | undefined;
  token?: string | undefined;
  config?: string | undefined;
}

/**
 * A fetch that turns "nothing answers" into {@link UnreachableError} and "the connection broke
 * before the answer" into {@link ConnectionLostError} (aborts pass through); with
 * `login`, each request carries the stored sign-in's access token, refreshed when it is about to expire.
 */
export function reachingFetch(baseUrl: string, login = false): typeof fetch {
  return async (input, init) => {
    let request = init;
    if (login) {
      const token = await freshAccessToken(baseUrl);
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      if (token) headers.set('authorization', `Bearer ${token}`);
      request = { ...init, headers };
    }
    try {
      return await fetch(input, request);
    } catch (err) {
      if (init?.signal?.aborted || (err as Error).name === 'AbortError') throw err;
      if (isCutOff(err)) {
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
        throw new ConnectionLostError(baseUrl, method.toUpperCase(), err);
      }
      throw new UnreachableError(baseUrl, err);
    }
  };
}

/** The config, the resolved connection and a client for it. */
export function connect(args: ConnectArgs): {
  client: AegisClient;
  conn: Connection;
  config: LoadedConfig;
} {
  const config = loadConfig(args.config);
  const conn = connection(config, args);
  const client = new AegisClient({
    baseUrl: conn.baseUrl,
    fetch: reachingFetch(conn.baseUrl, conn.login),
    ...(conn.token ? { token: conn.token } : {}),
  });
  return { client, conn, config };
}
