// Kept apart from open-database.ts (and exported by `@aegis/core` too) so that naming a PostgreSQL
// URL does not load `pg` and drizzle.

/** `host:port/database` of a URL, never its password: what error messages and `pressure()` name. */
export function describeUrl(url: string): { host: string; port: number; database: string; where: string } {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const host = parsed?.hostname || 'localhost';
  const port = Number(parsed?.port || 5432);
  const database = decodeURIComponent(parsed?.pathname.replace(/^\//, '') || '') || '(default)';
  return { host, port, database, where: `${host}:${port}/${database}` };
}
