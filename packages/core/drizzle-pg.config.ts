import { defineConfig } from 'drizzle-kit';

/** `pnpm --filter @aegis/core db:generate:pg` writes PostgreSQL migrations for `src/pg/schema.ts` to `drizzle-pg/`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/pg/schema.ts',
  out: './drizzle-pg',
});
