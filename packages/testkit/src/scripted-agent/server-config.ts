import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN } from './bin-path.js';

/** How a server starts the scripted agent: this Node running {@link SCRIPTED_AGENT_BIN}. */
export interface ScriptedAgentSpec {
  command: string;
  args: string[];
  /** Where it keeps its sessions when `SCRIPTED_AGENT_SESSION_DIR` is set: captured for resume. */
  conversation: { dirEnv: string; files: string[] };
}

/** The scripted agent's conversation files: `<SCRIPTED_AGENT_SESSION_DIR>/<id>.jsonl`. */
export const SCRIPTED_CONVERSATION = { dirEnv: 'SCRIPTED_AGENT_SESSION_DIR', files: ['{id}.jsonl'] };

/** The config a test passes to the server's `startServer` to run the scripted agent under `base`. */
export interface ScriptedServerConfig {
  port: 0;
  stateDir: string;
  allowedWorkDirs: string[];
  logLevel: 'silent';
  agents: { scripted: ScriptedAgentSpec };
  defaultAgent: 'scripted';
}

/** The agent entry for the scripted agent, as a server's `agents` config takes it. */
export function scriptedAgentSpec(): ScriptedAgentSpec {
  return { command: process.execPath, args: [SCRIPTED_AGENT_BIN], conversation: SCRIPTED_CONVERSATION };
}

/**
 * A server config for tests: a free port, state in `base/state`, work folders under `base` only,
 * no logs, and the scripted agent as the default. `extra` is merged over it shallowly (a key in
 * `extra` replaces the default one whole).
 *
 * Plain data, so testkit stays free of the server package; pass it as `config`:
 *
 * @example
 * const server = await startServer({
 *   ignoreEnv: true,
 *   config: scriptedServerConfig(base, { authToken: ADMIN }),
 * });
 */
export function scriptedServerConfig<Extra extends Record<string, unknown> = Record<never, never>>(
  base: string,
  extra: Extra = {} as Extra,
): Omit<ScriptedServerConfig, keyof Extra> & Extra {
  const config: ScriptedServerConfig = {
    port: 0,
    stateDir: join(base, 'state'),
    allowedWorkDirs: [base],
    logLevel: 'silent',
    agents: { scripted: scriptedAgentSpec() },
    defaultAgent: 'scripted',
  };
  return { ...config, ...extra };
}
