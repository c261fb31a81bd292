#!/usr/bin/env node
/**
 * A real SMTP server process for tests (the `smtp-server` package): listens on 127.0.0.1 (port 0
 * unless `SMTP_SINK_PORT` is set), accepts every mail without authentication or TLS, and prints
 * one JSON line per event on stdout: `{"listening":port}`, then `{"mail":{from,to,data}}`.
 * `SMTP_SINK_REJECT=1` answers every mail 451 (a temporary failure) instead.
 */
import { SMTPServer } from 'smtp-server';

const reject = process.env.SMTP_SINK_REJECT === '1';
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (reject) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      const mail = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        data: Buffer.concat(chunks).toString('utf8'),
      };
      process.stdout.write(`${JSON.stringify({ mail })}\n`);
      callback();
    });
  },
});
server.listen(Number(process.env.SMTP_SINK_PORT ?? 0), '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(
    `${JSON.stringify({ listening: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
