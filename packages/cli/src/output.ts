import { AegisApiError } from '@aegis/client';
import { colors } from 'consola/utils';

/** Colors and spinners are for people: only when the stream is a terminal. */
export const stdoutIsTTY = (): boolean => process.stdout.isTTY === true;
export const stderrIsTTY = (): boolean => process.stderr.isTTY === true;
export const paint = colors;

// C0 controls (ESC, BEL, CR, …), DEL and C1 controls (CSI 0x9b among them).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const escaped = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Text from the server (session names, titles, paths, agent output) made safe for a terminal: control
 * characters are shown escaped (`\x1b`), so a name cannot move the cursor, recolour or retitle the
 * terminal. `plain` is for one-line fields (newlines and tabs escaped too); `plainText` keeps them.
 */
export const plain = (text: string): string => text.replace(CONTROL, escaped);
export const plainText = (text: string): string => text.replace(CONTROL_BUT_LINES, escaped);

/** Machine output: one JSON document on stdout, nothing else. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A warning on one line on stderr. */
export function warnLine(message: string): void {
  process.stderr.write(`${paint.yellow('⚠')} ${message}\n`);
}

/**
 * Says on stderr that an idle session was reused (its earlier turns are the agent's context), and
 * how to get a fresh one instead. `turns`: the turns it had before this request.
 */
export function sayReused(session: { id: string; name: string | null }, turns: number): void {
  const who = session.name ? `${plain(session.name)} (${session.id})` : session.id;
  process.stderr.write(
    `Reusing session ${who} (${turns} turn${turns === 1 ? '' : 's'}); --new for a fresh one\n`,
  );
}

/** An invalid or unreadable config file; the message names the file and the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The server could not be reached at all (nothing listening, DNS, refused). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`No Aegis server answers at ${baseUrl}`, { cause });
  }
}

/**
 * The server took the request but the connection broke before its answer arrived (the server
 * stopped or crashed meanwhile): unlike {@link UnreachableError}, a change may have been applied.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  constructor(
    readonly baseUrl: string,
    /** The request's method: anything but GET/HEAD may have changed something. */
    readonly method: string,
    cause: unknown,
  ) {
    super(`The connection to the Aegis server at ${baseUrl} broke before it answered`, { cause });
  }
}

/** Codes of a connection that was open and then cut (not one that never opened). */
const CUT_OFF = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/** Whether a failed fetch's `err` is a connection cut off after the request went out. */
export function isCutOff(err: unknown): boolean {
  const root = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof root?.code === 'string' && CUT_OFF.has(root.code);
}

const HINTS: Record<string, string> = {
  UNAUTHORIZED:
    'sign in with `ag login` (when the server offers OIDC), or pass --token / set AEGIS_AUTH_TOKEN to an API key secret. The server has keys, so access without one is off; lost the admin key? restart the server with AEGIS_AUTH_TOKEN=<16+ random characters> (a bootstrap admin token) and create a key with it: ag keys create --name admin --role admin --token <it>',
  FORBIDDEN:
    'this key’s role may not do that; use an admin key, or ask an admin for a key with the role it needs',
  SESSION_NOT_FOUND: 'list sessions with `ag list`',
  NOTHING_PENDING: 'nothing is waiting for an answer; see `ag list --status permission_prompt`',
  SESSION_TERMINATED: 'the session has ended; start a new one with `ag create`',
  RATE_LIMITED: 'wait a minute and retry, or raise server.limits in the config',
  AGENT_AUTH_REQUIRED: 'run `ag doctor` to see which Claude credentials the server can use',
  AGENT_START_FAILED: 'run `ag doctor` to check the agent binary',
};

/** The one line printed for an error, and its exit code. Exported for tests and `--json` callers. */
export function describeError(err: unknown): { line: string; code: string } {
  if (err instanceof AegisApiError) {
    const hint = HINTS[err.code];
    return { code: err.code, line: `${err.code}: ${err.message}${hint ? ` (hint: ${hint})` : ''}` };
  }
  if (err instanceof UnreachableError) {
    const root = (err.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const why = root?.code ?? root?.message;
    return {
      code: 'UNREACHABLE',
      line: `${err.message}${why ? ` (${why})` : ''}. Start one with \`ag serve\`, or point AEGIS_BASE_URL / --url at a running server.`,
    };
  }
  if (err instanceof ConnectionLostError) {
    const root = (err.cause as { cause?: { code?: string } } | undefined)?.cause;
    const changes = err.method !== 'GET' && err.method !== 'HEAD';
    const next = changes
      ? 'It may have been applied: check with `ag list` or `ag logs <session>` before repeating it.'
      : 'Run the command again once the server is back (`ag doctor` says whether it answers).';
    return { code: 'CONNECTION_LOST', line: `${err.message}${root?.code ? ` (${root.code})` : ''}. ${next}` };
  }
  if (err instanceof ConfigError) return { code: 'CONFIG_INVALID', line: err.message };
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code))
    return { code, line: `${code}: ${err.message}` }; // an AegisError from an embedded server
  return { code: 'ERROR', line: err instanceof Error ? err.message : String(err) };
}

/** Prints an error as one clear line on stderr and returns the exit code (1). */
export function reportError(err: unknown): number {
  process.stderr.write(`${paint.red('✖')} ${plain(describeError(err).line)}\n`);
  return 1;
}

/** Wraps a command body: any error becomes one line on stderr and exit code 1. */
export function guarded<A>(fn: (ctx: A) => Promise<number | undefined>) {
  return async (ctx: A): Promise<void> => {
    try {
      const code = await fn(ctx);
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner on stderr while waiting, only on a terminal; elsewhere it prints nothing. */
export function spinner(text: string): { update(text: string): void; stop(): void } {
  if (!stderrIsTTY()) return { update() {}, stop() {} };
  let i = 0;
  let current = text;
  const draw = () => process.stderr.write(`\r\x1b[2K${paint.cyan(FRAMES[i++ % FRAMES.length]!)} ${current}`);
  draw();
  const timer = setInterval(draw, 80);
  return {
    update(t) {
      current = t;
    },
    stop() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[2K');
    },
  };
}
