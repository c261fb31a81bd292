import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the scripted agent's executable JS (run it with `process.execPath`): `bin.js`
 * and its imports bundled into one file at build time. Tests start a few hundred of these agents,
 * and one file loads in ~2/3 of the CPU time of the ~40 ES modules it is made of.
 */
export const SCRIPTED_AGENT_BIN = fileURLToPath(new URL('./bundle.js', import.meta.url));
