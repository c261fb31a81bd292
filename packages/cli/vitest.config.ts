import { defineConfig } from 'vitest/config';
import { sharedTest } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    ...sharedTest,
    // Every test runs `ag` as a real child process (about a second each on a busy 2-core box), and
    // the packaging test sets its own, longer limit.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
