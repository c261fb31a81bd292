import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const AG_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface AgResult {
  code: number | null;
  out: string;
  err: string;
}

export interface AgOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Leave stdin open (like a terminal nobody types into) instead of ending it. */
  keepStdinOpen?: boolean;
  timeoutMs?: number;
}

/** Starts `ag …` as a real child process (never a TTY), with only the given environment. */
export function startAg(args: string[], opts: AgOptions = {}): ChildProcess & { result: Promise<AgResult> } {
  const child = spawn(process.execPath, [AG_BIN, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const result = new Promise<AgResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
  if (opts.input !== undefined) child.stdin.write(opts.input);
  if (!opts.keepStdinOpen) child.stdin.end();
  else child.on('close', () => child.stdin.destroy());
  return Object.assign(child, { result });
}

/** Runs `ag …` to completion. Async, so a server in the test's own process keeps answering. */
export function ag(args: string[], opts: AgOptions = {}): Promise<AgResult> {
  return startAg(args, opts).result;
}

/** Waits until `read()` includes `text` (polling), or fails after `timeoutMs`. */
export async function waitForText(read: () => string, text: string | RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  const has = () => (typeof text === 'string' ? read().includes(text) : text.test(read()));
  while (!has()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; got:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
