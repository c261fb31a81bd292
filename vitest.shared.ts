/**
 * Settings every suite's vitest config shares. `packages/*` and `apps/*` reach each other through
 * their built `dist/`: vitest would pass those files through Vite's transform pipeline like test
 * code and, with isolation on, evaluate them afresh for every test file. Externalized, Node loads
 * them natively once per worker, as it does anything under node_modules.
 */
export const sharedTest = {
  server: { deps: { external: [/\/(packages|apps)\/[^/]+\/dist\//] } },
};
