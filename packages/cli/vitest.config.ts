import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every test runs `ag` as a real child process (about a second each on a busy 2-core box), and
    // the packaging test sets its own, longer limit.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
