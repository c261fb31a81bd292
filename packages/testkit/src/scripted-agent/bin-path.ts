import { fileURLToPath } from 'node:url';

/** Absolute path of the scripted agent's executable JS (run it with `process.execPath`). */
export const SCRIPTED_AGENT_BIN = fileURLToPath(new URL('./bin.js', import.meta.url));
