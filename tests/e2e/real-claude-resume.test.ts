/**
 * The real Claude Code ACP adapter across a server kill: the server (its own process) is SIGKILLed
 * mid-turn and restarted over the same state; no agent starts until the next prompt, which reopens
 * the adapter's session (session/resume) with the model's history intact.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { AegisClient } from '@aegis/client';
import { claudeAgentEnv, type FakeMessagesApi, freePort, startFakeMessagesApi } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, eventually, processesIn, tempRoot, until } from './helpers.js';

const root = tempRoot('resume');
const home = root.sub('home');
const work = root.sub('work');
const stateDir = root.sub('state');
const CHILD = new URL('./fixtures/server-child.mjs', import.meta.url).pathname;
let api: FakeMessagesApi;
const children: ChildProcess[] = [];

/** Starts the server process and waits for /v1/health; resolves with its client and the wait. */
async function serve(port: number) {
  const config = {
    port,
    stateDir,
    allowedWorkDirs: [work],
    agentEnv: claudeAgentEnv({ baseUrl: api.url, home }),
    logLevel: 'warn',
  };
  const startedAt = Date.now();
  const child = spawn(process.execPath, [CHILD], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      E2E_SERVER_CONFIG: JSON.stringify(config),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const client = new AegisClient({ baseUrl: `http://127.0.0.1:${port}` });
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server process exited before listening');
    try {
      await client.getHealth();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { child, client, exited, readyMs: Date.now() - startedAt };
}

beforeAll(async () => {
  api = await startFakeMessagesApi();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await api?.close();
  root.remove();
});

describe('real Claude Code: server SIGKILLed mid-turn, then restarted', () => {
  it('records the cut-off turn, keeps the session dormant, and the next prompt reopens the adapter session with its history', async () => {
    const port = await freePort();
    const first = await serve(port);
    const { session } = await first.client.createSession({
      workDir: work,
      prompt: 'say the first answer is 42',
    });
    const id = session.id;
    const created = await until(
      () => first.client.getSession(id),
      (s) => s.status === 'idle' && s.turns === 1,
    );
    expect(created.agentSession).toEqual({ id: expect.any(String), resumable: true });
    const log = new EventLog(first.client, id, created.lastSeq);
    await first.client.sendMessage(id, { text: 'slow: 400 say one two three four five six seven eight' });
    await log.waitFor((e) => e.type === 'message.delta');
    await log.close();

    first.child.kill('SIGKILL');
    await first.exited;
    // The adapter (and its Claude Code child) lose their stdin with the server and exit.
    expect(await eventually(() => processesIn(work).length === 0, 15_000)).toBe(true);

    const second = await serve(port);
    const resumed = await second.client.getSession(id);
    expect(resumed).toMatchObject({ status: 'error', agentResident: false });
    expect(resumed.agentSession).toEqual(created.agentSession);
    expect(resumed.problem?.code).toBe('AGENT_CRASHED');
    expect(processesIn(work)).toEqual([]);
    const { entries } = await second.client.readSession(id, { limit: 500 });
    const tail = entries.slice(-3).map((e) => `${e.role}: ${e.text}`);
    expect(tail[0]).toBe('user: slow: 400 say one two three four five six seven eight');
    expect(tail[1]).toMatch(/^assistant: one /);
    expect(tail[2]).toMatch(/This turn was cut off/);

    const mainBefore = api.requests.filter((r) => r.kind === 'main').length;
    await second.client.sendMessage(id, { text: 'say after the resume' });
    const done = await until(
      () => second.client.getSession(id),
      (s) => s.turns === 3 && s.status !== 'working',
    );
    expect(done.status).toBe('idle');
    const after = await second.client.readSession(id, { limit: 500 });
    expect(after.entries.at(-1)).toMatchObject({ role: 'assistant', text: 'after the resume' });
    expect(after.entries.some((e) => /reopened its conversation \(session\/resume\)/.test(e.text))).toBe(
      true,
    );
    // The model got the conversation from before the kill: the reopened session kept its history.
    const main = api.requests.filter((r) => r.kind === 'main').slice(mainBefore);
    const sent = JSON.stringify(main.at(-1)?.body ?? {});
    expect(sent).toContain('the first answer is 42');
    expect(sent).toContain('slow: 400 say one two');
    console.log(
      `[figures] real adapter, SIGKILL mid-turn: restart to /v1/health ${second.readyMs} ms (no agent started); next prompt ${main.length} main request(s)`,
    );
    await second.client.killSession(id);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 180_000);
});
