import { constants, existsSync, readFileSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  AGENT_PEAK_BYTES,
  allowedRoots,
  checkWorkDir,
  claudeCodeSpec,
  defaultMaxResidentAgents,
  describeHolder,
  readStateLock,
  resolveConfig,
  type ServerConfig,
} from '@aegis/server/preflight';
import { type LoadedConfig, loadConfig } from './config.js';
import { CLAUDE_AUTH_VARS, claudeAuthVarsSet, cliEnv, home } from './env.js';
import { serverSettings } from './server-settings.js';

export interface Check {
  id:
    | 'node'
    | 'config'
    | 'agent'
    | 'auth'
    | 'port'
    | 'stateDir'
    | 'workDir'
    | 'capacity'
    | 'stateLock'
    | 'sandbox'
    | 'startup'
    | 'channels';
  title: string;
  ok: boolean;
  /** A failed required check makes `ag doctor` exit non-zero. */
  required: boolean;
  detail: string;
  /** One line saying how to fix a failure. */
  fix?: string;
}

export const MIN_NODE = [20, 19] as const;

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    id: 'node',
    title: 'Node.js',
    ok,
    required: true,
    detail: `v${version} (needs >= ${MIN_NODE.join('.')})`,
    ...(ok ? {} : { fix: `install Node.js ${MIN_NODE.join('.')} or newer (e.g. the current LTS)` }),
  };
}

/** Loads the config file and resolves the server settings; failures become a failed check. */
export function checkConfig(
  explicit: string | undefined,
  flags: { host?: string | undefined; port?: string | undefined },
): { check: Check; config: LoadedConfig; server: ServerConfig } {
  let config: LoadedConfig = { path: null, server: {}, client: {} };
  try {
    config = loadConfig(explicit);
    const server = resolveConfig(
      serverSettings(config, { host: flags.host, port: flags.port ? Number(flags.port) : undefined }),
    );
    const detail = config.path ? `${config.path}` : 'no config file: built-in defaults';
    return {
      check: { id: 'config', title: 'Config', ok: true, required: true, detail },
      config,
      server,
    };
  } catch (err) {
    return {
      check: {
        id: 'config',
        title: 'Config',
        ok: false,
        required: true,
        detail: (err as Error).message,
        fix: config.path
          ? `correct the field named above in ${config.path}`
          : 'correct the file or variable named above (`ag init --force` writes a fresh file)',
      },
      config,
      server: resolveConfig({}),
    };
  }
}

async function executable(command: string): Promise<string | null> {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [resolve(command)]
      : cliEnv()
          .PATH.split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, command));
  for (const path of candidates) {
    try {
      await access(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {}
  }
  return null;
}

function packageVersionNear(script: string): string | null {
  for (let dir = dirname(script); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg))
      return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? null;
  }
  return null;
}

/** The default agent's command resolves (AEGIS_ACP_BIN, a configured agent, or the pinned adapter). */
export async function checkAgent(server: ServerConfig): Promise<Check & { claude: boolean }> {
  const bin = cliEnv().AEGIS_ACP_BIN;
  const agents = server.agents;
  const name = server.defaultAgent ?? Object.keys(agents)[0] ?? 'claude-code';
  const base = { id: 'agent' as const, title: 'Agent', required: true };
  let spec: { command: string; args: string[] };
  let source: string;
  try {
    if (bin) {
      const [command, ...args] = bin.split(/\s+/);
      spec = { command: command!, args };
      source = 'AEGIS_ACP_BIN';
    } else if (agents[name]) {
      spec = agents[name];
      source = `agents.${name} in the config`;
    } else if (name === 'claude-code') {
      const s = claudeCodeSpec();
      spec = { command: s.command, args: s.args ?? [] };
      source = '@agentclientprotocol/claude-agent-acp';
    } else throw new Error(`defaultAgent "${name}" is not configured under agents`);
  } catch (err) {
    return {
      ...base,
      claude: name === 'claude-code',
      ok: false,
      detail: (err as Error).message,
      fix: 'reinstall Aegis (the pinned @agentclientprotocol/claude-agent-acp ships with it) or set AEGIS_ACP_BIN',
    };
  }
  const claude = name === 'claude-code' && !bin;
  const found = await executable(spec.command);
  const script = spec.args.find((a) => /\.(c|m)?js$/.test(a));
  const fix = bin
    ? 'set AEGIS_ACP_BIN to a command that exists, e.g. "node /path/to/agent.js"'
    : `fix the command of agents.${name} in the config, or set AEGIS_ACP_BIN`;
  if (!found)
    return { ...base, claude, ok: false, detail: `${spec.command} (${source}) is not an executable`, fix };
  if (script && !existsSync(script))
    return { ...base, claude, ok: false, detail: `agent script ${script} (${source}) is missing`, fix };
  const version = claude && script ? packageVersionNear(script) : null;
  return {
    ...base,
    claude,
    ok: true,
    detail: `${name}: ${[found, ...spec.args].join(' ')}${version ? ` (claude-agent-acp ${version})` : ''}`,
  };
}

/** Which Claude credentials the agent will find; required only for the Claude adapter. */
export function checkAuth(server: ServerConfig, claude: boolean): Check {
  const found = claudeAuthVarsSet().map((v) => `${v} (environment)`);
  for (const key of Object.keys(server.agentEnv))
    if ((CLAUDE_AUTH_VARS as readonly string[]).includes(key)) found.push(`${key} (agentEnv in the config)`);
  const claudeDir = cliEnv().CLAUDE_CONFIG_DIR ?? join(home(), '.claude');
  const credentials = join(claudeDir, '.credentials.json');
  if (existsSync(credentials)) found.push(`a Claude login (${credentials})`);
  const ok = found.length > 0;
  return {
    id: 'auth',
    title: 'Claude auth',
    ok,
    required: claude,
    detail: ok
      ? found.join(', ')
      : claude
        ? 'no credentials found'
        : 'no Claude credentials found (the configured agent may not need them)',
    ...(ok
      ? {}
      : {
          fix: 'export ANTHROPIC_API_KEY=… (or ANTHROPIC_BASE_URL for a gateway), or log in once with `claude` → /login',
        }),
  };
}

async function aegisAnswering(url: string): Promise<string | null> {
  // A timer of our own, not AbortSignal.timeout: that one does not keep the process alive, so
  // against a port that accepts and never answers nothing else would, and `ag doctor` ended
  // mid-check (exit 13, no report) instead of reporting the port.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1500);
  try {
    const res = await fetch(`${url}/v1/health`, { signal: controller.signal });
    const body = (await res.json()) as { status?: string; version?: string };
    return body.status === 'ok' && typeof body.version === 'string' ? body.version : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function tryListen(host: string, port: number): Promise<string | null> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => done(null)));
  });
}

/** The server's port is free, or an Aegis server already answers there. */
export async function checkPort(server: ServerConfig): Promise<Check> {
  const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
  const shown = `${server.host}:${server.port}`;
  const base = { id: 'port' as const, title: 'Port', required: true };
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  const version = await aegisAnswering(url);
  if (version) return { ...base, ok: true, detail: `${shown}: Aegis ${version} is already answering` };
  const problem = await tryListen(server.host, server.port);
  if (!problem) return { ...base, ok: true, detail: `${shown} is free` };
  return {
    ...base,
    ok: false,
    detail: `${shown} cannot be used (${problem === 'EADDRINUSE' ? 'in use by another program' : problem})`,
    fix:
      problem === 'EADDRINUSE'
        ? 'stop the other program, or choose another port: AEGIS_PORT=9200 / `ag serve --port 9200` / server.port'
        : 'choose another host/port (AEGIS_HOST, AEGIS_PORT or server.host / server.port in the config)',
  };
}

/** The state directory exists and is writable, or can be created. */
export async function checkStateDir(server: ServerConfig): Promise<Check> {
  const dir = resolve(server.stateDir);
  const base = { id: 'stateDir' as const, title: 'State dir', required: true };
  const fix = `make ${dir} writable for this user, or set AEGIS_STATE_DIR / server.stateDir to a writable folder`;
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  if (probe === dir && !statSync(dir).isDirectory())
    return { ...base, ok: false, detail: `${dir} exists but is not a directory`, fix };
  try {
    await access(probe, constants.W_OK);
  } catch {
    return {
      ...base,
      ok: false,
      detail:
        probe === dir ? `${dir} is not writable` : `${dir} cannot be created (${probe} is not writable)`,
      fix,
    };
  }
  return { ...base, ok: true, detail: probe === dir ? `${dir} (writable)` : `${dir} (will be created)` };
}

/**
 * Can a session run here: is `cwd` inside the directories a server started here with this config
 * lets sessions work in (`allowedWorkDirs`, else $HOME and the server's folder, temp dirs excluded;
 * never the state dir). `ag serve` + `ag create` meet this check; the server `ag run` starts for
 * itself also allows the folder of the run.
 */
export function checkWorkHere(server: ServerConfig, configPath: string | null, cwd = process.cwd()): Check {
  const base = { id: 'workDir' as const, title: 'Work here', required: true };
  const roots = allowedRoots(server.allowedWorkDirs);
  try {
    const real = checkWorkDir(cwd, { roots, excluded: [resolve(server.stateDir)] });
    return { ...base, ok: true, detail: `a session can work in ${real} (allowed: ${roots.join(', ')})` };
  } catch (err) {
    const file = configPath ?? join(cwd, '.aegis', 'config.yaml');
    return {
      ...base,
      ok: false,
      // `ag run` allows the folder of a server it starts itself; `ag serve` + `ag create` would not.
      detail: `a server started with \`ag serve\` would refuse a session here (\`ag run\` allows the folder of the server it starts): ${(err as Error).message.split('; add it')[0]}`,
      fix: `add ${cwd} to server.allowedWorkDirs in ${file} (\`ag init\` asks for it) or to AEGIS_ALLOWED_WORKDIRS, or work in a folder inside ${roots.join(', ') || 'an allowed directory'}`,
    };
  }
}

/** How many agent processes may run at once, and when idle ones are closed (informational). */
export function checkCapacity(server: ServerConfig, memoryBytes = totalmem()): Check {
  const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
  const max = server.sessions.maxResidentAgents ?? defaultMaxResidentAgents(memoryBytes);
  const source =
    server.sessions.maxResidentAgents !== undefined
      ? 'configured'
      : `from ${gib(memoryBytes)} GiB of memory at ~${Math.round(AGENT_PEAK_BYTES / 1024 ** 2)} MiB per agent`;
  const evict = server.sessions.idleEvictMs;
  const idle =
    evict === 0
      ? 'idle agents are never evicted (sessions.idleEvictMs 0)'
      : `idle agents are closed after ${evict >= 60_000 ? `${Math.round(evict / 60_000)} min` : `${Math.round(evict / 1000)} s`} and resumed on the next prompt`;
  const tooMany = max * AGENT_PEAK_BYTES > memoryBytes;
  return {
    id: 'capacity',
    title: 'Capacity',
    ok: !tooMany,
    required: false,
    detail: `at most ${max} agent processes at once (${source}); ${idle}`,
    ...(tooMany
      ? {
          fix: `${max} agents at their peak need ~${gib(max * AGENT_PEAK_BYTES)} GiB but the machine has ${gib(memoryBytes)} GiB: lower sessions.maxResidentAgents (AEGIS_MAX_RESIDENT_AGENTS)`,
        }
      : {}),
  };
}

/**
 * Who holds the state dir's lock (one server per state dir): nobody, a running server (which
 * `ag run` and the other commands can use; a second `ag serve` would be refused), a stale lock
 * (the next server takes it over) or a process on another host.
 */
export function checkStateLock(server: ServerConfig): Check {
  const dir = resolve(server.stateDir);
  const base = { id: 'stateLock' as const, title: 'State lock', required: false };
  let lock: ReturnType<typeof readStateLock>;
  try {
    lock = readStateLock(dir);
  } catch (err) {
    return { ...base, ok: false, detail: `cannot read the lock: ${(err as Error).message}` };
  }
  switch (lock.state) {
    case 'free':
      return { ...base, ok: true, detail: 'free: no server uses this state dir' };
    case 'live':
      return {
        ...base,
        ok: true,
        detail: `held by a running server (${describeHolder(lock.info)}); \`ag run\` uses it, a second \`ag serve\` on ${dir} is refused`,
      };
    case 'stale':
      return {
        ...base,
        ok: true,
        detail: `stale: left by ${describeHolder(lock.info)} (${lock.why}); the next server takes it over`,
      };
    case 'foreign':
      return {
        ...base,
        ok: false,
        detail: `held by ${describeHolder(lock.info)}, which cannot be checked from here`,
        fix: `if that server is gone for good, delete ${lock.path}; otherwise use it with --url, or set AEGIS_STATE_DIR to another folder`,
      };
  }
}
