import { type ChildProcess, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AegisClient, type AegisEvent, parseSse } from '@aegis/client';
import { freePort, SCRIPTED_AGENT_BIN } from '@aegis/testkit';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI_BIN = join(ROOT, 'packages/cli/dist/bin.js');
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/server-main.mjs');
export const AGENT_BIN = `${process.execPath} ${SCRIPTED_AGENT_BIN}`;
/** Larger sizes for load and soak: `AEGIS_SOAK=1`. */
export const SOAK = process.env.AEGIS_SOAK === '1';

/** Raised so load and soak measure the server, not the per-key rate limiter (a 429 is not a failure). */
export const UNLIMITED = {
  limits: { requestsPerMinute: 10_000_000, sessionsPerKey: 10_000, sessionsGlobal: 10_000 },
  eventStreams: { perKey: 10_000 },
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh, realpath-resolved temp directory. */
export function tempDir(prefix: string): { dir: string; sub(name: string): string; remove(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `aegis-rel-${prefix}-`)));
  return {
    dir,
    sub(name) {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

export { freePort };

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  client: AegisClient;
  output(): string;
  /** Resolves with the exit code / signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the process if it still runs and waits for it. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  stateDir: string;
  allowedWorkDirs: string[];
  /** `cli` = `ag serve` (its own signal handling); `launcher` = startServer with `config`. */
  mode?: 'cli' | 'launcher';
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /**
   * A bootstrap admin token (AEGIS_AUTH_TOKEN) for the server, also given to `client`. Without one
   * the server runs zero-config, which ends as soon as anything creates the first API key.
   */
  token?: string;
  /** The port to listen on (a restarted server keeps its clients' URL); default a free one. */
  port?: number;
}

/** Starts a real Aegis server as a child process and waits until /v1/health answers. */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const mode = opts.mode ?? 'cli';
  const args = mode === 'cli' ? [CLI_BIN, 'serve'] : [LAUNCHER];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      AEGIS_PORT: String(port),
      AEGIS_HOST: '127.0.0.1',
      AEGIS_STATE_DIR: opts.stateDir,
      AEGIS_ALLOWED_WORKDIRS: opts.allowedWorkDirs.join(':'),
      AEGIS_ACP_BIN: AGENT_BIN,
      AEGIS_LOG_LEVEL: 'warn',
      RELIABILITY_SERVER_CONFIG: JSON.stringify({ port, ...(opts.config ?? {}) }),
      ...(opts.token ? { AEGIS_AUTH_TOKEN: opts.token } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const client = new AegisClient({ baseUrl: url, token: opts.token });
  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`server exited before listening:\n${out}`);
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /v1/health within 30 s:\n${out}`);
    }
    await sleep(50);
  }
  return {
    child,
    pid: child.pid!,
    url,
    client,
    output: () => out,
    exited,
    async stop() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

// ---- /proc ------------------------------------------------------------------------------------

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie is dead for our purposes (its parent has not reaped it yet).
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Direct and indirect children of `pid` (Linux /proc). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** PIDs (not this process) whose cwd is `dir` or below: agents run in their session's workDir. */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited meanwhile, or not ours to inspect
    }
  }
  return pids;
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes; returns its last answer. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

// ---- SSE --------------------------------------------------------------------------------------

export interface SseFrameRecord {
  id: number;
  event: AegisEvent;
}

/**
 * Reads one SSE connection without the client's de-duplication, so duplicates and gaps show.
 * Keeps every frame; `stop()` aborts the connection.
 */
export class RawSse {
  readonly frames: SseFrameRecord[] = [];
  readonly #abort = new AbortController();
  status: number | null = null;
  failure: unknown = null;
  readonly done: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(url: string, opts: { lastEventId?: string } = {}) {
    this.done = (async () => {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
        const res = await fetch(url, { headers, signal: this.#abort.signal });
        this.status = res.status;
        if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status} ${await res.text()}`);
        for await (const frame of parseSse(res.body)) {
          if (!frame.data) continue;
          this.frames.push({ id: Number(frame.id), event: JSON.parse(frame.data) as AegisEvent });
          this.#wake();
        }
      } catch (err) {
        if (!this.#abort.signal.aborted) this.failure = err;
      } finally {
        this.#wake();
      }
    })();
  }

  #wake() {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until `pred` holds for the frames so far; rejects after `timeoutMs`. */
  async until(pred: (frames: SseFrameRecord[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pred(this.frames)) return;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        const tail = this.frames.slice(-8).map((f) => `${f.id}:${f.event.type}`);
        throw new Error(
          `SSE condition not met in ${timeoutMs} ms; ${this.frames.length} frames, last ${tail}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.done;
  }
}

/** Asserts frame ids run `first, first+1, …` with no gap or duplicate; returns a problem or null. */
export function gapProblem(ids: number[], first: number): string | null {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== first + i)
      return `expected id ${first + i} at position ${i}, got ${ids[i]} (ids ${ids.slice(Math.max(0, i - 3), i + 3)})`;
  }
  return null;
}

/** A scripted-agent prompt that streams `n` message chunks, `gapMs` apart. */
export function slowChunks(n: number, gapMs: number): string {
  const steps: unknown[] = [];
  for (let i = 0; i < n; i++) steps.push({ say: `chunk ${i} ` }, { sleep: gapMs });
  return `script:${JSON.stringify(steps)}`;
}

/** Polls a session until its status is one of `statuses`; returns it. */
/** Waits until a session has run `turns` turns and is back in one of `statuses` (default idle). */
export async function waitForTurns(
  client: AegisClient,
  id: string,
  turns: number,
  statuses: string[] = ['idle'],
  timeoutMs = 30_000,
): Promise<Awaited<ReturnType<AegisClient['getSession']>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.getSession(id);
    if (s.turns >= turns && statuses.includes(s.status)) return s;
    if (Date.now() > deadline)
      throw new Error(
        `session ${id} is ${s.status} after ${s.turns} turns, not ${statuses.join('|')} after ${turns}`,
      );
    await sleep(30);
  }
}

export async function waitForStatus(
  client: AegisClient,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<Awaited<ReturnType<AegisClient['getSession']>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.getSession(id);
    if (statuses.includes(s.status)) return s;
    if (Date.now() > deadline)
      throw new Error(`session ${id} is ${s.status}, not ${statuses.join('|')}, after ${timeoutMs} ms`);
    await sleep(30);
  }
}

/** Runs `fn`, which must fail with an API error; returns it with how long the call took. */
export async function failure(
  fn: () => Promise<unknown>,
): Promise<{ status: number; code: string; message: string; ms: number }> {
  const started = Date.now();
  try {
    await fn();
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    if (typeof e.status !== 'number') throw err;
    return { status: e.status, code: e.code ?? '', message: e.message ?? '', ms: Date.now() - started };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
