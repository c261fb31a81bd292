import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AegisApiError, AegisClient, type AegisEvent } from '@aegis/client';
import { type RunningServer, type ServerConfigInput, startServer } from '@aegis/server';
import { claudeAgentEnv, type FakeMessagesApi, startFakeMessagesApi } from '@aegis/testkit';

/** A fresh, realpath-resolved temp directory and a way to remove it. */
export function tempRoot(prefix: string): { dir: string; sub(name: string): string; remove(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `aegis-e2e-${prefix}-`)));
  return {
    dir,
    sub(name) {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      return path;
    },
    remove() {
      // A real adapter still exiting can write into its HOME for a moment after the server closed
      // (ENOTEMPTY mid-removal): retried for up to ~5 s.
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    },
  };
}

/**
 * Follows one session's SSE stream in the background and keeps every event, so a test can wait for
 * "the next event like X" without racing the stream.
 */
export class EventLog {
  readonly events: AegisEvent[] = [];
  readonly #abort = new AbortController();
  #waiters: Array<() => void> = [];
  #failure: unknown;
  readonly done: Promise<void>;

  constructor(client: AegisClient, sessionId: string, after = 0) {
    this.done = (async () => {
      try {
        for await (const e of client.streamSessionEvents(sessionId, { after, signal: this.#abort.signal })) {
          this.events.push(e);
          this.#wake();
        }
      } catch (err) {
        this.#failure = err;
        this.#wake();
      }
    })();
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first event (from index `from` on) matching `pred`; rejects after `timeoutMs`. */
  async waitFor<T extends AegisEvent = AegisEvent>(
    pred: (e: AegisEvent) => boolean,
    { timeoutMs = 45_000, from = 0 }: { timeoutMs?: number; from?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(pred);
      if (found) return found as T;
      if (this.#failure) throw this.#failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Timed out after ${timeoutMs} ms; events so far: ${this.events.map((e) => `${e.seq}:${e.type}`).join(', ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for an event of `type` at or after index `from`. */
  waitForType<K extends AegisEvent['type']>(
    type: K,
    opts: { timeoutMs?: number; from?: number } = {},
  ): Promise<Extract<AegisEvent, { type: K }>> {
    return this.waitFor((e) => e.type === type, opts);
  }

  /** Waits for the end of the turn that started at or after index `from`. */
  waitForTurnEnd(opts: { timeoutMs?: number; from?: number } = {}) {
    return this.waitFor<Extract<AegisEvent, { type: 'turn.completed' | 'turn.failed' }>>(
      (e) => e.type === 'turn.completed' || e.type === 'turn.failed',
      opts,
    );
  }

  get length(): number {
    return this.events.length;
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.done;
  }
}

/** Runs `fn`, which must throw an `AegisApiError`, and returns it. */
export async function apiError(fn: () => Promise<unknown>): Promise<AegisApiError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AegisApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail with an API error, but it succeeded');
}

/** Kills every session that has not ended yet; used in afterAll. */
export async function killAll(client: AegisClient, ids: Iterable<string>): Promise<void> {
  await Promise.all(
    [...ids].map(async (id) => {
      try {
        await client.killSession(id);
      } catch (err) {
        if (!(err instanceof AegisApiError) || err.status !== 409) throw err;
      }
    }),
  );
}

/** PIDs of the processes (other than this one) whose working directory is `dir` or inside it (Linux /proc). */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // exited meanwhile, or not ours to inspect
    }
  }
  return pids;
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns its last answer. */
export async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * Hides the developer's own Claude settings (`ANTHROPIC_*`, `CLAUDE_CODE_*`, `CLAUDE_CONFIG_DIR`)
 * from this process, which the server passes on to agents, so a suite is hermetic ("no API key"
 * really means none). Returns what puts them back.
 */
export function hideClaudeEnv(): () => void {
  const hidden = Object.keys(process.env).filter(
    (k) => k.startsWith('ANTHROPIC_') || k.startsWith('CLAUDE_CODE_') || k === 'CLAUDE_CONFIG_DIR',
  );
  const saved = Object.fromEntries(hidden.map((k) => [k, process.env[k]]));
  for (const k of hidden) delete process.env[k];
  return () => Object.assign(process.env, saved);
}

/** Polls `fn` until `ok` holds for its value; fails after `ms` showing the last value. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${ms} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A real server driving the real Claude Code adapter against a fresh local Messages stand-in. */
export interface RealStack {
  api: FakeMessagesApi;
  server: RunningServer;
  client: AegisClient;
  /** Closes the server, then the stand-in. */
  close(): Promise<void>;
}

/**
 * Starts the Messages stand-in and a server (port 0, state in `<root>/state`, the adapter's HOME
 * `home`) whose agents reach the stand-in. `config` is merged over those defaults.
 */
export async function startRealStack(opts: {
  root: { sub(name: string): string };
  home: string;
  allowedWorkDirs: string[];
  apiKey?: string;
  agentEnv?: Record<string, string>;
  config?: Partial<ServerConfigInput>;
}): Promise<RealStack> {
  const api = await startFakeMessagesApi();
  try {
    const server = await startServer({
      ignoreEnv: true,
      config: {
        port: 0,
        stateDir: opts.root.sub('state'),
        allowedWorkDirs: opts.allowedWorkDirs,
        agentEnv: {
          ...claudeAgentEnv({
            baseUrl: api.url,
            home: opts.home,
            ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
          }),
          ...opts.agentEnv,
        },
        logLevel: 'warn',
        ...opts.config,
      },
    });
    return {
      api,
      server,
      client: new AegisClient({ baseUrl: server.url }),
      async close() {
        try {
          await server.close();
        } finally {
          await api.close();
        }
      },
    };
  } catch (err) {
    await api.close();
    throw err;
  }
}
