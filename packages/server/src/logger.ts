import { activeTraceIds } from './request-tracing.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEYS = /token|secret|password|api[_-]?key|authorization/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Structured logs: JSON lines when stderr is not a TTY, short text when it is. Secrets are redacted. */
export function createLogger(level: LogLevel, stream: NodeJS.WriteStream = process.stderr): Logger {
  const json = !stream.isTTY;
  const write = (lvl: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lvl] < ORDER[level]) return;
    // Inside a traced request (or turn), the line names its trace.
    const ids = fields.traceId === undefined ? activeTraceIds() : undefined;
    const clean = redact(ids ? { ...fields, ...ids } : fields);
    if (json)
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...clean })}\n`);
    else {
      const extra = Object.entries(clean)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      stream.write(`${lvl.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}\n`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/**
 * A copy of log fields with values under secret-looking keys replaced by `[redacted]`, at any depth
 * (objects and arrays, up to 8 levels; deeper values are summarised), and every value of an `env`
 * map replaced too.
 */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactValue({ name: value.name, message: value.message }, depth);
  if (depth >= 8) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEYS.test(k)) out[k] = '[redacted]';
    else if (k === 'env' && v && typeof v === 'object' && !Array.isArray(v))
      out[k] = Object.fromEntries(Object.keys(v).map((name) => [name, '[redacted]']));
    else out[k] = redactValue(v, depth + 1);
  }
  return out;
}

const SECRET_FLAG = /^--?[\w-]*(token|secret|password|passwd|api[_-]?key|auth|credential|private)[\w-]*$/i;
/** Values that look like credentials on their own: long random strings, known key prefixes, URLs with passwords. */
const SECRET_VALUE =
  /^(sk-|aegis_|ghp_|gho_|ghs_|github_pat_|xox[abp]-|AKIA)|^[A-Za-z0-9+_=-]{32,}$|:\/\/[^/@\s]+:[^/@\s]+@/;

/**
 * Agent command-line arguments fit for diagnostics: the value of a secret-looking flag
 * (`--api-key X`, `--token=X`) and any argument that looks like a credential are replaced.
 *
 * @example
 * redactArgs(['--model', 'opus', '--api-key', 'sk-123']) // ['--model', 'opus', '--api-key', '[redacted]']
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && SECRET_FLAG.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=[redacted]`);
    } else if (SECRET_VALUE.test(eq > 0 ? arg.slice(eq + 1) : arg)) {
      out.push(eq > 0 && arg.startsWith('-') ? `${arg.slice(0, eq)}=[redacted]` : '[redacted]');
    } else {
      out.push(arg);
      if (SECRET_FLAG.test(arg) && i + 1 < args.length) {
        out.push('[redacted]');
        i++;
      }
    }
  }
  return out;
}
