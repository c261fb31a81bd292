import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, type StartServerOptions, startServer } from '@aegis/server';
import { SCRIPTED_AGENT_BIN, scriptedServerConfig } from '@aegis/testkit';

/** The `ag` bin as users install it (@aegis/cli's dist). */
export const AG_BIN = fileURLToPath(new URL('../node_modules/@aegis/cli/dist/bin.js', import.meta.url));
/** How a server started by `ag` finds the scripted agent. */
export const SCRIPTED_ACP_BIN = `${process.execPath} ${SCRIPTED_AGENT_BIN}`;

/** A temp folder for one test file, and fresh project folders inside it. */
export function workspace(prefix: string) {
  const base = realpathSync(mkdtempSync(join(tmpdir(), `aegis-compat-${prefix}-`)));
  let n = 0;
  return {
    base,
    folder(name = `p${n++}`): string {
      const dir = join(base, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}

/** A real server on port 0 running the scripted agent, with work folders under `base`. */
export function startScripted(
  base: string,
  extra: Record<string, unknown> = {},
  options: Partial<StartServerOptions> = {},
) {
  return startServer({ ignoreEnv: true, ...options, config: scriptedServerConfig(base, extra) });
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: documented JSON is read field by field, as `jq` would
  json: any;
}

/** `curl -X METHOD $URL$path -d body` as the documents write it: JSON in, status and body out. */
export async function curl(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Polls `read` until `done` holds (15 s at most), then returns the last value. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface AgResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `ag …` as a child process with only PATH and `env` (never this machine's own AEGIS_* or IS_SANDBOX). */
export function ag(args: string[], env: Record<string, string>, opts: { cwd?: string; input?: string } = {}) {
  const child: ChildProcess = spawn(process.execPath, [AG_BIN, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  if (opts.input !== undefined) child.stdin?.write(opts.input);
  child.stdin?.end();
  return new Promise<AgResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}
