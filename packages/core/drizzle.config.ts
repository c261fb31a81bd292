import { defineConfig } from 'drizzle-kit';

/** `pnpm --filter @aegis/core db:generate` writes SQL migrations for `src/sqlite/schema.ts` to `drizzle/`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/sqlite/schema.ts',
  out: './drizzle',
});
