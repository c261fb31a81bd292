import { createInterface } from 'node:readline';

/**
 * Reads yes/no answers from stdin, TTY or not. Without a TTY each answer is the next line
 * (so `yes | ag run …` works); end of input answers "no".
 */
export class Answerer {
  #lines: string[] = [];
  #waiters: ((line: string | null) => void)[] = [];
  #ended = false;
  #rl: ReturnType<typeof createInterface> | undefined;

  #ensure(): void {
    if (this.#rl) return;
    this.#rl = createInterface({ input: process.stdin, terminal: false });
    this.#rl.on('line', (line) => {
      const w = this.#waiters.shift();
      if (w) w(line);
      else this.#lines.push(line);
    });
    this.#rl.on('close', () => {
      this.#ended = true;
      for (const w of this.#waiters.splice(0)) w(null);
    });
  }

  async ask(question: string, defaultYes = true): Promise<boolean> {
    this.#ensure();
    process.stderr.write(`${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `);
    const line =
      this.#lines.shift() ??
      (this.#ended ? null : await new Promise<string | null>((r) => this.#waiters.push(r)));
    if (line === null) {
      process.stderr.write('(no input: no)\n');
      return false;
    }
    if (!process.stdin.isTTY) process.stderr.write(`${line}\n`);
    const a = line.trim().toLowerCase();
    return a === '' ? defaultYes : a === 'y' || a === 'yes';
  }

  close(): void {
    this.#rl?.close();
  }
}
