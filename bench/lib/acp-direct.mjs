// The baseline: a bare ACP client (`@agentclientprotocol/sdk` 2.x, built like acp-runtime's) driving
// an agent binary directly, with no store, no engine and no HTTP in between.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { CLIENT_CAPABILITIES } from '@aegis/acp-runtime';
import { client, methods, ndJsonStream } from '@agentclientprotocol/sdk';

/**
 * Spawns `command args` in `cwd`, runs `initialize` and `session/new`, and returns timings plus a
 * `prompt(text)` that resolves when the turn ends, with the number of updates seen.
 */
export async function openDirect({ command, args = [], env = process.env, cwd }) {
  const t0 = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  child.stderr.resume();
  const exited = new Promise((r) => child.once('exit', r));
  let updates = 0;
  const input = Readable.toWeb(child.stdout);
  const output = Writable.toWeb(child.stdin);
  const connection = client({ name: 'bench-direct' })
    .onNotification(methods.client.session.update, () => {
      updates++;
    })
    .onRequest(methods.client.session.requestPermission, async ({ params }) => {
      const allow = params.options.find((o) => o.kind === 'allow_once') ?? params.options[0];
      return { outcome: { outcome: 'selected', optionId: allow.optionId } };
    })
    // The files the agent reads and writes go through the client, as they do through Aegis.
    .onRequest(methods.client.fs.readTextFile, async ({ params }) => ({
      content: await readFile(params.path, 'utf8'),
    }))
    .onRequest(methods.client.fs.writeTextFile, async ({ params }) => {
      await writeFile(params.path, params.content);
      return {};
    })
    .connect(ndJsonStream(output, input));
  await connection.agent.request(methods.agent.initialize, {
    protocolVersion: 1,
    // What Aegis offers, so the agent does the same work for both: with fs offered, Claude Code's
    // Write and Read go through the client (~40 ms more per Write turn than writing the file itself).
    clientCapabilities: CLIENT_CAPABILITIES,
    clientInfo: { name: 'bench-direct', version: '0.0.0' },
  });
  const initializedMs = performance.now() - t0;
  const created = await connection.agent.request(methods.agent.session.new, { cwd, mcpServers: [] });
  const readyMs = performance.now() - t0;
  const sessionId = created.sessionId;
  return {
    initializedMs,
    readyMs,
    async setMode(modeId) {
      await connection.agent.request(methods.agent.session.setMode, { sessionId, modeId });
    },
    async prompt(text) {
      updates = 0;
      const start = performance.now();
      const res = await connection.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: 'text', text }],
      });
      return { ms: performance.now() - start, updates, stopReason: res.stopReason };
    },
    async close() {
      child.stdin.end();
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 3000);
      await exited;
      clearTimeout(t);
      connection.close?.();
    },
  };
}
