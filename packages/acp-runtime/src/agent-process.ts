import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { AegisError, type AgentExit } from '@aegis/core';

export interface AgentProcessOptions {
  agentName: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Bytes of stderr kept for diagnostics. */
  stderrTailBytes: number;
  /** Wait after ending stdin, and again after SIGTERM, before escalating. */
  shutdownGraceMs: number;
}

export type ProcessExit = AgentExit & { expected: boolean };

/** Keeps the last `limit` bytes written to it. */
class ByteRing {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const excess = this.size - this.limit;
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
      }
    }
  }
  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * An agent child process as an owned resource: bounded stderr, one observed exit, and an escalating
 * shutdown (end stdin → grace → SIGTERM → grace → SIGKILL). Runs in its own process group so that
 * helpers it spawned go with it.
 */
export class AgentProcess implements AsyncDisposable {
  readonly closed: Promise<ProcessExit>;
  private readonly stderr: ByteRing;
  private expected = false;
  private exit: ProcessExit | null = null;
  private closing: Promise<ProcessExit> | null = null;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly options: AgentProcessOptions,
  ) {
    this.stderr = new ByteRing(options.stderrTailBytes);
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // A dead child's pipes error with EPIPE/ECONNRESET; the exit path reports it, not a crash of ours.
    child.stdin.on('error', () => {});
    child.stdout.on('error', () => {});
    child.stderr.on('error', () => {});
    this.closed = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // Wait briefly for stdio to drain so the stderr tail is complete; grandchildren may hold pipes open.
        const finish = () => {
          if (this.exit) return;
          this.exit = { exitCode: code, signal, stderrTail: this.stderrTail(), expected: this.expected };
          resolve(this.exit);
        };
        const timer = setTimeout(finish, 200);
        child.once('close', () => {
          clearTimeout(timer);
          finish();
        });
      });
    });
  }

  /** Spawns the process; rejects `AGENT_START_FAILED` when it cannot be started at all. */
  static spawn(options: AgentProcessOptions): Promise<AgentProcess> {
    return new Promise((resolve, reject) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = spawn(options.command, options.args, {
          cwd: options.cwd,
          env: options.env,
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: true,
        });
      } catch (err) {
        reject(startFailed(options, err));
        return;
      }
      child.once('error', (err) => reject(startFailed(options, err)));
      child.once('spawn', () => resolve(new AgentProcess(child, options)));
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get exited(): ProcessExit | null {
    return this.exit;
  }

  stderrTail(): string {
    return this.stderr.toString();
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.exit || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid!, sig);
    } catch {
      this.child.kill(sig);
    }
  }

  private async waitFor(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([this.closed.then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** Ends the process politely, then firmly. Resolves when it is gone. Marks the exit as expected. */
  close(): Promise<ProcessExit> {
    this.expected = true;
    this.closing ??= (async () => {
      const grace = this.options.shutdownGraceMs;
      this.child.stdin.end();
      if (await this.waitFor(grace)) return this.closed;
      this.signal('SIGTERM');
      if (await this.waitFor(grace)) return this.closed;
      this.signal('SIGKILL');
      return this.closed;
    })();
    return this.closing;
  }

  /** Kills the process at once, e.g. after a protocol violation. The exit is not expected. */
  kill(): void {
    this.signal('SIGKILL');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function startFailed(options: AgentProcessOptions, err: unknown): AegisError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const command = [options.command, ...options.args].join(' ');
  const hint =
    code === 'ENOENT'
      ? `the command was not found (is it installed and on PATH, or is the cwd ${options.cwd} missing?)`
      : code === 'EACCES'
        ? 'the command is not executable'
        : String((err as Error)?.message ?? err);
  return new AegisError(
    'AGENT_START_FAILED',
    `Could not start agent "${options.agentName}" (${command}): ${hint}. Configure its command in the agents registry or set AEGIS_ACP_BIN.`,
    {
      details: { agent: options.agentName, command: options.command, args: options.args, errno: code },
      cause: err,
    },
  );
}
