import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The SMTP sink's entry point (built). */
export const SMTP_SINK_BIN = fileURLToPath(new URL('./bin.js', import.meta.url));

export interface ReceivedMail {
  from: string | null;
  to: string[];
  /** The raw message: headers and body. */
  data: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  mails: ReceivedMail[];
  child: ChildProcess;
  close(): Promise<void>;
}

/** Starts {@link SMTP_SINK_BIN} as a child process and resolves once it listens. */
export async function startSmtpSink(options: { reject?: boolean; port?: number } = {}): Promise<SmtpSink> {
  const child = spawn(process.execPath, [SMTP_SINK_BIN], {
    env: {
      ...process.env,
      ...(options.reject ? { SMTP_SINK_REJECT: '1' } : {}),
      ...(options.port ? { SMTP_SINK_PORT: String(options.port) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const mails: ReceivedMail[] = [];
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = JSON.parse(buffered.slice(0, nl)) as { listening?: number; mail?: ReceivedMail };
        buffered = buffered.slice(nl + 1);
        if (line.listening !== undefined) resolve(line.listening);
        if (line.mail) mails.push(line.mail);
        nl = buffered.indexOf('\n');
      }
    });
  });
  return {
    host: '127.0.0.1',
    port,
    mails,
    child,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
