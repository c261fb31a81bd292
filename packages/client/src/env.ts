/** Where the client looks for its defaults: `process.env` in Node, Bun and Deno; nothing in browsers. */
interface EnvScope {
  process?: { env?: Record<string, string | undefined> } | undefined;
}

/**
 * `AEGIS_BASE_URL` and `AEGIS_AUTH_TOKEN`, read from `process.env` when there is one. Guarded, since
 * browsers have no `process` (the package has no dependencies, so no zod here: two optional strings).
 */
export function envDefaults(scope: EnvScope = globalThis as EnvScope): {
  baseUrl?: string;
  token?: string;
} {
  const env = typeof scope.process?.env === 'object' ? scope.process.env : undefined;
  const baseUrl = env?.AEGIS_BASE_URL?.trim();
  const token = env?.AEGIS_AUTH_TOKEN?.trim();
  return { ...(baseUrl ? { baseUrl } : {}), ...(token ? { token } : {}) };
}
