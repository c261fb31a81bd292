#!/usr/bin/env node
import { Readable, Writable } from 'node:stream';
import { ndJsonStream } from '@agentclientprotocol/sdk';
import { createScriptedAgent } from './agent.js';

// The only place the scripted agent reads its environment (see README.md).
const failAt = process.env.SCRIPTED_AGENT_FAIL_AT;
if (failAt !== undefined && failAt !== 'initialize' && failAt !== 'session_new') {
  process.stderr.write(
    `scripted-agent: SCRIPTED_AGENT_FAIL_AT must be initialize or session_new, got ${failAt}\n`,
  );
  process.exit(2);
}
const slowStartMs = Number(process.env.SCRIPTED_AGENT_SLOW_START_MS ?? 0) || 0;
const sessionDir = process.env.SCRIPTED_AGENT_SESSION_DIR || undefined;
const restore = process.env.SCRIPTED_AGENT_RESTORE ?? 'both';
if (restore !== 'load' && restore !== 'resume' && restore !== 'both') {
  process.stderr.write(
    `scripted-agent: SCRIPTED_AGENT_RESTORE must be load, resume or both, got ${restore}\n`,
  );
  process.exit(2);
}
const ignoreStdinClose = process.env.SCRIPTED_AGENT_IGNORE_STDIN_CLOSE === '1';
if (process.env.SCRIPTED_AGENT_IGNORE_SIGTERM === '1') {
  process.on('SIGTERM', () => process.stderr.write('scripted-agent: ignoring SIGTERM\n'));
}

const stream = ndJsonStream(
  Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
  Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>,
);
const connection = createScriptedAgent({ failAt, slowStartMs, sessionDir, restore }).connect(stream);
void connection.closed.finally(() => {
  // Like the real adapter: leave shortly after stdin closes (unless a test wants a stubborn agent).
  if (!ignoreStdinClose) setTimeout(() => process.exit(0), 50);
  else setInterval(() => {}, 1 << 30);
});
