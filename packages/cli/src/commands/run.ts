import { closeSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AegisApiError, AegisClient, type AegisEvent } from '@aegis/client';
import { defineCommand } from 'citty';
import type { Connection, LoadedConfig } from '../config.js';
import { connect, connectionArgs } from '../connect.js';
import { createLogger } from '../log.js';
import { reportError, sayReused, UnreachableError } from '../output.js';
import { Answerer } from '../prompt-answer.js';
import { describePermission } from '../render.js';
import { toolLine } from '../session-view.js';
import { droppedMessage, dropsPrompt } from '../wait.js';

/** Everything but the agent's text goes to stderr, so `ag run … > out.txt` holds only the text. */
const consola = createLogger({ stdout: process.stderr, stderr: process.stderr });

/** The log of the server `ag run` starts for itself, in its state dir. */
export const RUN_SERVER_LOG = 'ag-run-server.log';

export const runCommand = defineCommand({
  meta: {
    name: 'run',
    description:
      'Run a prompt in a folder and stream the agent as it works, asking before it writes or runs things',
  },
  args: {
    prompt: { type: 'positional', description: 'What the agent should do', required: true },
    cwd: { type: 'string', description: 'Folder the agent works in (default: current directory)' },
    ...connectionArgs,
    port: { type: 'string', description: 'Port of the Aegis server (started here if none answers)' },
    model: { type: 'string', description: 'Model for the agent' },
    name: { type: 'string', description: 'Session name' },
    new: {
      type: 'boolean',
      description: 'Always start a fresh session (by default an idle session in the folder is reused)',
    },
    stream: {
      type: 'boolean',
      default: true,
      description: 'Stream text as it arrives (--no-stream prints it at the end)',
    },
    'accept-permissions': {
      type: 'boolean',
      alias: ['y'],
      description: 'Approve every permission request without asking',
    },
    yes: {
      type: 'boolean',
      description:
        'Quiet: no status lines on stderr (for CI). It does NOT approve anything — permission requests are still asked; -y/--accept-permissions approves them',
    },
    keep: {
      type: 'boolean',
      description:
        'Keep the session live when the run ends (by default a session this run created is ended, so runs do not pile up against the session limit)',
    },
  },
  async run({ args }) {
    const approveAll = args['accept-permissions'] === true;
    if (args.yes) {
      // The earlier documents' --yes meant "quiet"; approving everything on it would be unsafe.
      consola.level = 1;
      if (!approveAll)
        consola.warn(
          '--yes only quiets status lines: permission requests are still asked (-y/--accept-permissions approves them).',
        );
    }
    let local: Awaited<ReturnType<typeof ensureServer>>;
    let client: AegisClient;
    let defaults: LoadedConfig['client'] = {};
    try {
      const found = connect(args);
      defaults = found.config.client;
      client = found.client;
      local = await ensureServer(client, found.conn, found.config, resolve(args.cwd ?? process.cwd()));
    } catch (err) {
      // A server that cannot start (bad configuration, port taken) gets its message, not a stack trace.
      process.exit(reportError(err));
    }
    let exitCode = 0;
    try {
      exitCode = await runPrompt(local?.client ?? client, {
        ...args,
        model: args.model ?? defaults.model,
        name: args.name ?? defaults.name,
        template: defaults.template,
        approveAll,
      });
    } catch (err) {
      exitCode = reportError(err);
    } finally {
      await local?.close();
    }
    process.exit(exitCode);
  },
});

/**
 * Uses the server at `baseUrl`, or starts one there (with the config file's server settings). A
 * server started here also allows `workDir`, the folder this run was asked to work in, even where
 * the defaults would not (a folder under the system temp directory).
 */
async function ensureServer(client: AegisClient, conn: Connection, config: LoadedConfig, workDir: string) {
  try {
    await client.getHealth();
    return undefined;
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
  }
  const url = new URL(conn.baseUrl);
  const { allowedRoots, createLogger, readStateLock, resolveConfig, startServer } = await import(
    '@aegis/server'
  );
  const { configFileWarnings, serverSettings } = await import('../server-settings.js');
  const settings = serverSettings(config);
  // A server that holds this state dir but answers elsewhere (another port) is the one to use:
  // a second server on the same state dir would be refused.
  const resolved = resolveConfig(settings);
  const lock = readStateLock(resolved.stateDir);
  if (lock.state === 'live' && lock.info?.url) {
    const running = reachable(lock.info.url);
    const client = new AegisClient({ baseUrl: running, ...(conn.token ? { token: conn.token } : {}) });
    try {
      await client.getHealth();
      consola.info(
        `Using the Aegis server at ${running} (pid ${lock.info.pid}), which holds the state dir; nothing answers at ${conn.baseUrl}.`,
      );
      return { client, close: async () => {} };
    } catch {
      // Not answering (yet): starting one below says who holds the state dir.
    }
  }
  // Its logs go to a file: on the terminal they would interleave with the agent's output.
  mkdirSync(resolved.stateDir, { recursive: true, mode: 0o700 });
  const logPath = join(resolved.stateDir, RUN_SERVER_LOG);
  let logFd: number | undefined = openSync(logPath, 'a', 0o600);
  const closeLog = () => {
    if (logFd !== undefined) closeSync(logFd);
    logFd = undefined;
  };
  // A line logged after the file is closed (a late timer) is dropped, not thrown.
  const logStream = { isTTY: false, write: (text: string) => logFd !== undefined && writeSync(logFd, text) };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      ignoreEnv: true,
      warnings: configFileWarnings(config),
      logger: createLogger(resolved.logLevel, logStream as unknown as NodeJS.WriteStream),
      config: {
        ...settings,
        allowedWorkDirs: withRunFolder(allowedRoots(resolved.allowedWorkDirs), workDir),
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || 9100),
      },
    });
  } catch (err) {
    closeLog();
    throw err;
  }
  consola.info(`Started a local Aegis server at ${server.url} for this run (its log: ${logPath}).`);
  const token = conn.token ?? server.config.authToken;
  return {
    client: new AegisClient({ baseUrl: server.url, ...(token ? { token } : {}) }),
    close: async () => {
      await server.close();
      closeLog();
    },
  };
}

/**
 * The allowed folders of the server `ag run` starts: the configured (or default) ones plus the folder
 * of this run, resolved. The filesystem root is never added (the server's state dir is excluded
 * whatever the list says).
 */
function withRunFolder(roots: string[], workDir: string): string[] {
  let real: string;
  try {
    real = realpathSync(workDir);
  } catch {
    return roots; // a folder that does not exist: the server says so when the session is created
  }
  return real === '/' || roots.includes(real) ? roots : [...roots, real];
}

/** A server bound to every address is reached on loopback. */
function reachable(url: string): string {
  const u = new URL(url);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  else if (u.hostname === '[::]') u.hostname = '[::1]';
  return u.origin;
}

interface RunArgs {
  prompt: string;
  cwd?: string | undefined;
  model?: string | undefined;
  name?: string | undefined;
  /** A session template (the config file's `client.template`). */
  template?: string | undefined;
  stream?: boolean | undefined;
  approveAll?: boolean | undefined;
  new?: boolean | undefined;
  keep?: boolean | undefined;
}

async function runPrompt(client: AegisClient, args: RunArgs): Promise<number> {
  const workDir = resolve(args.cwd ?? process.cwd());
  consola.start(`Starting the agent in ${workDir}…`);
  // The prompt is sent only once the session is known, so that events are read from its lastSeq
  // before the prompt: a reused idle session may hold an earlier turn with the very same text.
  const created = await client.createSession({
    workDir,
    ...(args.model ? { model: args.model } : {}),
    ...(args.name ? { name: args.name } : {}),
    ...(args.template ? { templateId: args.template } : {}),
    ...(args.new ? { reuse: false } : {}),
  });
  const id = created.session.id;
  const before = created.session.lastSeq;
  if (created.reused) sayReused(created.session, created.session.turns);
  else
    consola.info(
      `Created session ${id} (${created.session.agent}${created.session.model ? `, ${created.session.model}` : ''})`,
    );
  try {
    return await runTurn(client, id, before, args);
  } finally {
    // A session this run created ends with it (a reused one was someone else's and stays).
    if (!created.reused && !args.keep) {
      await client.killSession(id).then(
        () => consola.info(`Ended session ${id} (--keep keeps it live for \`ag send\`).`),
        () => {},
      );
    } else if (!created.reused) consola.info(`Session ${id} stays live (--keep): \`ag send ${id} "…"\`.`);
  }
}

/** Sends the prompt and follows the session's events until this turn ends; returns the exit code. */
async function runTurn(client: AegisClient, id: string, before: number, args: RunArgs): Promise<number> {
  await client.sendMessage(id, { text: args.prompt });
  const abort = new AbortController();
  // Ctrl-C (a SIGINT, or the key itself while a terminal is read key by key) interrupts the turn
  // and ends a question that waits; a second one exits at once.
  let interrupting: Promise<unknown> | undefined;
  const interrupt = () => {
    if (interrupting) process.exit(130);
    consola.warn('Interrupting the agent…');
    interrupting = client.interruptSession(id).catch(() => {});
    answerer.interrupt();
  };
  const answerer = new Answerer({ onInterrupt: interrupt });
  process.on('SIGINT', interrupt);
  // Keys typed from now on are read (and dropped) so that none is taken as an answer later.
  if (!args.approveAll) answerer.listen();
  let ourTurn: string | null = null;
  let lastText = '';
  let midLine = false;
  const titles = new Map<string, string>();
  const out = (text: string) => {
    process.stdout.write(text);
    midLine = !text.endsWith('\n');
  };
  const line = () => {
    if (midLine) out('\n');
  };
  try {
    for await (const e of client.streamSessionEvents(id, { after: before, signal: abort.signal })) {
      if (!ourTurn) {
        if (e.type === 'turn.started' && e.data.text === args.prompt) ourTurn = e.data.turnId;
        else if (e.type === 'session.ended') return ended(e);
        else if (e.type === 'prompts.dropped' && dropsPrompt(e.data, args.prompt)) {
          consola.error(`${droppedMessage(e.data.reason)}: \`ag send ${id} <prompt> --wait\`.`);
          return 1;
        }
        continue;
      }
      switch (e.type) {
        case 'message.delta':
          if (args.stream !== false) out(e.data.text);
          break;
        case 'message.completed':
          lastText = e.data.text;
          line();
          break;
        case 'tool.started':
        case 'tool.updated':
          if (e.data.title) titles.set(e.data.toolCallId, e.data.title);
          break;
        case 'tool.completed':
          line();
          process.stderr.write(toolLine(e.data.title ?? titles.get(e.data.toolCallId), e.data.status));
          break;
        case 'plan.updated':
          line();
          consola.box(
            e.data.entries.map((p) => `${p.status === 'completed' ? '✔' : '•'} ${p.content}`).join('\n'),
          );
          break;
        case 'permission.requested': {
          line();
          consola.warn(`The agent wants to: ${describePermission(e.data)}`);
          const answer = args.approveAll ? 'yes' : await answerer.ask('Allow?');
          if (args.approveAll) consola.info('Approved (-y/--accept-permissions).');
          // The turn is being cancelled: nothing to answer, nothing more to wait for.
          if (answer === 'interrupt') {
            await interrupting;
            return 130;
          }
          try {
            if (answer === 'yes') await client.approvePermission(id);
            else await client.rejectPermission(id);
          } catch (err) {
            if (!(err instanceof AegisApiError && err.code === 'NOTHING_PENDING')) throw err;
          }
          break;
        }
        case 'turn.completed':
          if (e.data.turnId !== ourTurn) break;
          line();
          if (args.stream === false && lastText) out(`${lastText}\n`);
          if (e.data.stopReason === 'cancelled') {
            consola.warn('Turn cancelled.');
            return 130;
          }
          consola.success(`Done in ${(e.data.durationMs / 1000).toFixed(1)} s (session ${id}).`);
          return 0;
        case 'turn.failed':
          if (e.data.turnId !== ourTurn) break;
          line();
          consola.error(e.data.problem?.message ?? 'The turn failed.');
          if (e.data.problem?.hint) consola.info(e.data.problem.hint);
          return 1;
        case 'session.ended':
          line();
          return ended(e);
        default:
          break;
      }
    }
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    answerer.close();
    abort.abort();
  }
}

function ended(e: Extract<AegisEvent, { type: 'session.ended' }>): number {
  if (e.data.status === 'crashed') {
    consola.error(`The agent crashed: ${e.data.reason}`);
    if (e.data.exit?.stderrTail) consola.log(e.data.exit.stderrTail.trim().split('\n').slice(-10).join('\n'));
    return 1;
  }
  consola.warn(`Session ${e.data.status}: ${e.data.reason}`);
  return 1;
}
