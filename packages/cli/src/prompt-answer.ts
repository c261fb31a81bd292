import { createInterface } from 'node:readline';

/** `interrupt`: Ctrl-C at the prompt (or SIGINT while it waits). */
export type Answer = 'yes' | 'no' | 'interrupt';

const CTRL_C = '\u0003';
/** What a waiting question receives: a key's answer (TTY), a line (no TTY), Ctrl-C, or end of input. */
type Got = { key: 'yes' | 'no' } | { line: string } | { interrupt: true } | null;

/**
 * Reads yes/no answers from stdin. Only an explicit `y`/`yes` approves: a bare Enter, any other
 * answer and end of input mean "no".
 *
 * On a terminal, stdin is read key by key from {@link listen} on, and keys pressed while no question
 * is asked are dropped, so a stray Enter typed while the agent streams cannot answer the next
 * question; Ctrl-C calls `onInterrupt` (at a question it also answers `interrupt`). Without a
 * terminal each answer is the next line (so `yes | ag run …` works).
 */
export class Answerer {
  readonly #tty = process.stdin.isTTY === true;
  readonly #onInterrupt: () => void;
  #lines: string[] = [];
  #waiter: ((got: Got) => void) | undefined;
  #ended = false;
  #listening = false;
  #rl: ReturnType<typeof createInterface> | undefined;

  constructor(opts: { onInterrupt: () => void }) {
    this.#onInterrupt = opts.onInterrupt;
  }

  /** Starts reading stdin (on a terminal: in raw mode, dropping keys until a question is asked). */
  listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    if (this.#tty) {
      process.stdin.setRawMode(true);
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', this.#onKeys);
      process.stdin.resume();
      return;
    }
    this.#rl = createInterface({ input: process.stdin, terminal: false });
    this.#rl.on('line', (line) => {
      if (this.#waiter) this.#settle({ line });
      else this.#lines.push(line);
    });
    this.#rl.on('close', () => {
      this.#ended = true;
      this.#settle(null);
    });
  }

  readonly #onKeys = (keys: string): void => {
    if (keys.includes(CTRL_C)) {
      this.#onInterrupt();
      this.#settle({ interrupt: true });
      return;
    }
    if (!this.#waiter) return; // typed before the question: not an answer to it
    const key = keys.at(-1)!.toLowerCase();
    if (key === 'y') this.#settle({ key: 'yes' });
    else if (key === 'n' || key === '\r' || key === '\n') this.#settle({ key: 'no' });
  };

  #settle(got: Got): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(got);
  }

  /** Ends a question that is waiting with `interrupt` (SIGINT arrived). */
  interrupt(): void {
    this.#settle({ interrupt: true });
  }

  async ask(question: string): Promise<Answer> {
    this.listen();
    process.stderr.write(`${question} [y/N] `);
    const queued = this.#lines.shift();
    const got: Got =
      queued !== undefined
        ? { line: queued }
        : this.#ended
          ? null
          : await new Promise<Got>((r) => (this.#waiter = r));
    if (got === null) {
      process.stderr.write('(no input: no)\n');
      return 'no';
    }
    if ('interrupt' in got) {
      process.stderr.write('^C\n');
      return 'interrupt';
    }
    if ('key' in got) {
      process.stderr.write(`${got.key}\n`);
      return got.key;
    }
    process.stderr.write(`${got.line}\n`);
    const a = got.line.trim().toLowerCase();
    return a === 'y' || a === 'yes' ? 'yes' : 'no';
  }

  close(): void {
    this.#rl?.close();
    if (this.#tty && this.#listening) {
      process.stdin.off('data', this.#onKeys);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
}
