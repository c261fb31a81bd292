import { statSync } from 'node:fs';
import type { ConnectedAgent } from './acp-session.js';

/** Warm pool settings for one agent kind. */
export interface PoolOptions {
  /** Agent processes kept started and initialized, waiting for a session. 0 disables the pool. */
  size: number;
  /** A pooled process idle longer than this is stopped and replaced (default 10 minutes). */
  maxIdleMs?: number | undefined;
}

interface Idle {
  agent: ConnectedAgent;
  since: number;
  /** The folder it was spawned in (`undefined`: the pool's own). */
  cwd: string | undefined;
}

/** Starts one agent process in `cwd` (`undefined`: the pool's own folder) and initializes it. */
export type PoolLaunch = (cwd: string | undefined) => Promise<ConnectedAgent>;

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const DEFAULT_MAX_IDLE_MS = 10 * 60_000;
/** Longest back-off between refill attempts after launches keep failing. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps `size` agent processes of one kind started and past `initialize`, so a new session only
 * pays for `session/new`. A claimed process belongs to that session alone and is never returned;
 * the pool refills in the background once no claimed process is still opening its session (a
 * replacement's start would take CPU from those `session/new`s, so N parallel creates against a
 * pool of N all open before any refill starts). Processes idle past `maxIdleMs`, or that exit
 * while waiting, are replaced. `close()` stops every pooled process and any still starting.
 *
 * Folder affinity: replacements are spawned in the folders sessions were recently opened in (the
 * most recent first, one process per folder while there are folders to go round; a folder that no
 * longer exists is dropped), and `claim(workDir)` prefers a process already in the session's
 * folder. An agent may redo per-folder work when its session's folder differs from its own: the
 * Claude Code adapter runs `claude auth status` again (~0.3 s of CPU), so a session opened where
 * the previous one was starts sooner.
 */
export class WarmPool {
  readonly #launch: PoolLaunch;
  readonly #size: number;
  readonly #maxIdleMs: number;
  readonly #onError: (err: unknown) => void;
  #idle: Idle[] = [];
  /** Processes being started, with the folder each was spawned in. */
  #starting = new Map<Promise<void>, string | undefined>();
  /** Folders sessions were opened in, most recent first, at most `size`. */
  #recent: string[] = [];
  /** Claimed processes whose session is not open yet (see `opened()`). */
  #opening = 0;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #sweep: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(launch: PoolLaunch, options: PoolOptions, onError: (err: unknown) => void) {
    this.#launch = launch;
    this.#size = Math.max(0, Math.floor(options.size));
    this.#maxIdleMs = options.maxIdleMs ?? DEFAULT_MAX_IDLE_MS;
    this.#onError = onError;
    if (this.#size > 0) {
      this.#sweep = setInterval(() => this.#expire(), Math.max(10, Math.min(5_000, this.#maxIdleMs / 4)));
      this.#sweep.unref();
      this.#refill();
    }
  }

  /** Processes waiting to be claimed. */
  get idle(): number {
    return this.#idle.length;
  }

  /** Processes being started and initialized (diagnostics and tests). */
  get starting(): number {
    return this.#starting.size;
  }

  /** Pids of the processes waiting to be claimed (diagnostics and tests). */
  get idlePids(): (number | null)[] {
    return this.#idle.map((i) => i.agent.proc.pid);
  }

  /** The folder each waiting process was spawned in, as `idlePids` (`undefined`: the pool's own). */
  get idleFolders(): (string | undefined)[] {
    return this.#idle.map((i) => i.cwd);
  }

  /**
   * Takes a ready process for one session in `workDir` (the one already in that folder when there
   * is one, else the longest waiting), or `undefined` when none is ready. The caller must call
   * `opened()` once that session is open (or failed to open): replacements start only when no
   * claimed process is still opening, so they do not compete with `session/new` for CPU.
   */
  claim(workDir?: string): ConnectedAgent | undefined {
    if (workDir !== undefined) this.#remember(workDir);
    this.#dropStale();
    const here = this.#idle.findIndex((i) => i.cwd === workDir);
    const [next] = this.#idle.splice(Math.max(0, here), 1);
    if (!next) return undefined;
    this.#opening += 1;
    return next.agent;
  }

  /** A process from `claim()` has opened its session (or failed to): refills once none is opening. */
  opened(): void {
    this.#opening = Math.max(0, this.#opening - 1);
    this.#refill();
  }

  /** Starts processes until the pool is back at its size. */
  refill(): void {
    this.#refill();
  }

  /** Resolves once the pool holds `size` ready processes (or is closed). For tests and benchmarks. */
  async filled(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed && this.#idle.length < this.#size) {
      if (Date.now() > deadline) throw new Error(`warm pool not filled within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops every pooled process, waiting for those still starting. No new ones are started. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    clearTimeout(this.#retry);
    await Promise.allSettled([...this.#starting.keys()]);
    const idle = this.#idle.splice(0);
    await Promise.allSettled(idle.map((i) => i.agent.proc.close()));
  }

  #remember(workDir: string): void {
    this.#recent = [workDir, ...this.#recent.filter((d) => d !== workDir)].slice(0, this.#size);
  }

  /** Where the next replacement starts: a recent session folder no process waits in yet, else the most recent one. */
  #nextFolder(): string | undefined {
    this.#recent = this.#recent.filter(isDirectory);
    const held = new Set([...this.#idle.map((i) => i.cwd), ...this.#starting.values()]);
    return this.#recent.find((d) => !held.has(d)) ?? this.#recent[0];
  }

  #expire(): void {
    if (this.#dropStale()) this.#refill();
  }

  /** Stops the waiting processes idle past `maxIdleMs` or exited, and forgets them; true when any were. */
  #dropStale(): boolean {
    const now = Date.now();
    const stale = this.#idle.filter((i) => now - i.since > this.#maxIdleMs || i.agent.proc.exited);
    if (stale.length === 0) return false;
    this.#idle = this.#idle.filter((i) => !stale.includes(i));
    for (const i of stale) void i.agent.proc.close();
    return true;
  }

  #refill(): void {
    // While a claimed process opens its session, `opened()` refills afterwards.
    if (this.#closed || this.#retry || this.#opening > 0) return;
    while (this.#idle.length + this.#starting.size < this.#size) {
      const cwd = this.#nextFolder();
      const starting: Promise<void> = this.#launch(cwd)
        .then(
          (agent) => {
            this.#failures = 0;
            if (this.#closed) return void agent.proc.close();
            const entry: Idle = { agent, since: Date.now(), cwd };
            this.#idle.push(entry);
            // A process that dies while waiting is dropped and replaced.
            void agent.proc.closed.then(() => {
              const i = this.#idle.indexOf(entry);
              if (i < 0) return;
              this.#idle.splice(i, 1);
              this.#refill();
            });
          },
          (err) => {
            this.#failures += 1;
            if (!this.#closed) this.#onError(err);
          },
        )
        .finally(() => {
          this.#starting.delete(starting);
          if (this.#failures > 0) this.#backOff();
          else this.#refill();
        });
      this.#starting.set(starting, cwd);
      if (this.#failures > 0) break;
    }
  }

  #backOff(): void {
    if (this.#closed || this.#retry) return;
    const ms = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.#failures, 10));
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#refill();
    }, ms);
    this.#retry.unref();
  }
}
