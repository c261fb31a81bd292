/**
 * Proves the fake Messages API against the REAL Claude Code ACP adapter
 * (`@agentclientprotocol/claude-agent-acp`, which runs the real Claude Code binary), driven directly with
 * the client side of `@agentclientprotocol/sdk` 2.x.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  type ClientConnection,
  client,
  methods,
  ndJsonStream,
  type PermissionOptionKind,
  type RequestPermissionRequest,
  type SessionNotification,
  type SessionUpdate,
} from '@agentclientprotocol/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeAgentEnv } from './env.js';
import { startFakeMessagesApi } from './server.js';
import type { FakeMessagesApi } from './types.js';

const ADAPTER = '@agentclientprotocol/claude-agent-acp';
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

/** Finds the adapter's bin JS from its package.json (testkit does not depend on it; acp-runtime does). */
function resolveAdapterBin(): string {
  const froms = [
    import.meta.url,
    path.join(repoRoot, 'packages/acp-runtime/package.json'),
    path.join(repoRoot, 'package.json'),
  ];
  let pkgJson: string | undefined;
  for (const from of froms) {
    try {
      pkgJson = createRequire(from).resolve(`${ADAPTER}/package.json`);
      break;
    } catch {
      // try the next place
    }
  }
  if (!pkgJson) {
    const store = path.join(repoRoot, 'node_modules/.pnpm');
    const dir = fs.readdirSync(store).find((d) => d.startsWith('@agentclientprotocol+claude-agent-acp@'));
    if (!dir) throw new Error(`${ADAPTER} is not installed`);
    pkgJson = path.join(store, dir, 'node_modules', ADAPTER, 'package.json');
  }
  const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { bin: string | Record<string, string> };
  const bin =
    typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin['claude-agent-acp'] ?? Object.values(pkg.bin)[0]);
  if (!bin) throw new Error(`${ADAPTER} declares no bin`);
  return path.join(path.dirname(pkgJson), bin);
}

const ADAPTER_BIN = resolveAdapterBin();

interface Harness {
  child: ChildProcess;
  conn: ClientConnection;
  cwd: string;
  home: string;
  stderr: string[];
  updates: SessionUpdate[];
  permissions: RequestPermissionRequest[];
  /** Which option kind the permission handler picks. */
  choose: PermissionOptionKind;
  timings: Record<string, number>;
}

const cleanups: Array<() => Promise<void>> = [];
const timings: Array<Record<string, number>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Resolves true once no process of the group `pgid` is left (polls with signal 0). */
async function groupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startFake(options: Parameters<typeof startFakeMessagesApi>[0] = {}): Promise<FakeMessagesApi> {
  const api = await startFakeMessagesApi(options);
  cleanups.push(() => api.close());
  return api;
}

/** Spawns the real adapter with a clean env and connects an ACP client to its stdio. */
async function startAgent(api: FakeMessagesApi, opts: { apiKey?: string | null } = {}): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-fake-home-'));
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-fake-cwd-'));
  const env = claudeAgentEnv({ baseUrl: api.url, home, apiKey: opts.apiKey });
  const t0 = performance.now();
  const child = spawn(process.execPath, [ADAPTER_BIN], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const h: Omit<Harness, 'conn'> & { conn?: ClientConnection } = {
    child,
    cwd,
    home,
    stderr: [] as string[],
    updates: [] as SessionUpdate[],
    permissions: [] as RequestPermissionRequest[],
    choose: 'allow_once' as PermissionOptionKind,
    timings: {} as Record<string, number>,
  };
  child.stderr?.on('data', (d: Buffer) => h.stderr.push(d.toString()));
  cleanups.push(async () => {
    // Closing stdin makes the adapter exit (~350 ms); the Claude Code child it started lives in the same
    // process group (spawned detached), so wait for the whole group, then SIGKILL what is left of it.
    child.stdin?.end();
    await waitForExit(child, 2000);
    if (child.pid && !(await groupGone(child.pid, 3000))) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await groupGone(child.pid, 2000);
    }
    for (const dir of [home, cwd]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch {
        // leave it to the OS temp cleaner
      }
    }
  });
  if (!child.stdin || !child.stdout) throw new Error('no stdio');
  const stream = ndJsonStream(
    Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
  );
  const app = client({ name: 'fake-messages-test' })
    .onNotification(methods.client.session.update, ({ params }: { params: SessionNotification }) => {
      h.updates.push(params.update);
    })
    .onRequest(methods.client.session.requestPermission, ({ params }) => {
      h.permissions.push(params);
      const option = params.options.find((o) => o.kind === h.choose);
      if (!option) return { outcome: { outcome: 'cancelled' } };
      return { outcome: { outcome: 'selected', optionId: option.optionId } };
    });
  const conn = app.connect(stream);
  cleanups.push(async () => conn.close());
  await conn.agent.request(methods.agent.initialize, {
    protocolVersion: 1,
    clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
  });
  h.timings.initialize = performance.now() - t0;
  timings.push(h.timings);
  h.conn = conn;
  return h as Harness;
}

async function newSession(h: Harness): Promise<string> {
  const t0 = performance.now();
  const res = await h.conn.agent.request(methods.agent.session.new, { cwd: h.cwd, mcpServers: [] });
  h.timings.sessionNew = performance.now() - t0;
  return res.sessionId;
}

async function prompt(h: Harness, sessionId: string, text: string, timingKey?: string) {
  const t0 = performance.now();
  try {
    return await h.conn.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text }],
    });
  } finally {
    if (timingKey) h.timings[timingKey] = performance.now() - t0;
  }
}

function agentText(h: Harness): string {
  return h.updates
    .map((u) =>
      u.sessionUpdate === 'agent_message_chunk' && u.content.type === 'text' ? u.content.text : '',
    )
    .join('');
}

function toolUpdates(h: Harness) {
  return h.updates.filter(
    (u): u is Extract<SessionUpdate, { sessionUpdate: 'tool_call' | 'tool_call_update' }> =>
      u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update',
  );
}

function finalStatus(h: Harness): string | undefined {
  return toolUpdates(h)
    .map((u) => u.status)
    .filter((s) => s)
    .pop() as string | undefined;
}

async function rejectionOf(
  p: Promise<unknown>,
): Promise<{ code?: number; message?: string; data?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: number; message?: string; data?: unknown };
  }
  throw new Error('expected the request to fail');
}

const T = 90_000;

describe('fake Messages API against the real claude-agent-acp adapter', () => {
  afterEach(() => {
    // One line per test with measured timings (ms), for the README.
    const last = timings[timings.length - 1];
    if (last)
      console.log(
        `[timings] ${JSON.stringify(Object.fromEntries(Object.entries(last).map(([k, v]) => [k, Math.round(v)])))}`,
      );
  });

  it(
    '(a) a text prompt streams agent_message_chunk updates and ends with end_turn',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const res = await prompt(h, sessionId, 'say hello from the real adapter test', 'textTurn');
      expect(res.stopReason).toBe('end_turn');
      const chunks = h.updates.filter((u) => u.sessionUpdate === 'agent_message_chunk');
      expect(chunks.length).toBeGreaterThan(1);
      expect(agentText(h)).toBe('hello from the real adapter test');
      const main = api.requests.filter((r) => r.kind === 'main');
      expect(main).toHaveLength(1);
      expect(main[0]).toMatchObject({
        path: '/v1/messages',
        url: '/v1/messages?beta=true',
        stream: true,
        rule: 'say',
      });
      // The title side request is answered with structured output and shows up as session_info_update.
      expect(api.requests.some((r) => r.kind === 'title')).toBe(true);
      // Every request went to the fake and was recognised (no unknown kinds).
      expect(api.requests.filter((r) => r.kind === 'other')).toEqual([]);
    },
    T,
  );

  it(
    '(b) "create a file named …" asks permission; allow_once writes the file and reports a diff',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const res = await prompt(
        h,
        sessionId,
        'create a file named hello.txt containing Hello from Aegis',
        'writeTurn',
      );
      expect(res.stopReason).toBe('end_turn');
      expect(h.permissions).toHaveLength(1);
      expect(h.permissions[0]?.options.map((o) => o.kind)).toContain('allow_once');
      const file = path.join(h.cwd, 'hello.txt');
      expect(fs.readFileSync(file, 'utf8')).toBe('Hello from Aegis');
      const tools = toolUpdates(h);
      expect(tools.some((u) => u.sessionUpdate === 'tool_call')).toBe(true);
      const diff = tools.flatMap((u) => u.content ?? []).find((c) => c.type === 'diff') as
        | { path: string; newText: string }
        | undefined;
      expect(diff).toMatchObject({ path: file, newText: 'Hello from Aegis' });
      expect(finalStatus(h)).toBe('completed');
      expect(agentText(h)).toContain('Created hello.txt.');
      // The Write tool_use carried an absolute path inside the session cwd, found in Claude Code's env info.
      const write = api.requests.filter((r) => r.rule === 'write');
      expect(write.map((r) => r.toolResults)).toEqual([0, 1]);
    },
    T,
  );

  it(
    '(c) the same with reject_once leaves no file and the tool call fails',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      h.choose = 'reject_once';
      const sessionId = await newSession(h);
      const res = await prompt(h, sessionId, 'create a file named hello.txt containing Hello from Aegis');
      expect(res.stopReason).toBe('end_turn');
      expect(h.permissions).toHaveLength(1);
      expect(fs.existsSync(path.join(h.cwd, 'hello.txt'))).toBe(false);
      expect(finalStatus(h)).toBe('failed');
      expect(agentText(h)).toContain('Could not create hello.txt');
    },
    T,
  );

  it(
    '(d) run `echo hi` runs Bash without asking and summarises the output',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const res = await prompt(h, sessionId, 'run `echo hi`', 'bashTurn');
      expect(res.stopReason).toBe('end_turn');
      expect(h.permissions).toHaveLength(0);
      const tools = toolUpdates(h);
      expect(
        tools.some((u) => u.rawInput && (u.rawInput as { command?: string }).command === 'echo hi'),
      ).toBe(true);
      expect(finalStatus(h)).toBe('completed');
      expect(tools.some((u) => u.rawOutput === 'hi')).toBe(true);
      expect(agentText(h)).toContain('Ran `echo hi`. Output: hi');
    },
    T,
  );

  it(
    '(e) "trigger rate limit": session/prompt fails with -32603 (errorKind rate_limit) after an error chunk',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const err = await rejectionOf(prompt(h, sessionId, 'trigger rate limit', 'rateLimitTurn'));
      expect(err.code).toBe(-32603);
      expect(err.message).toMatch(/^Internal error: API Error: Request rejected \(429\)/);
      expect(err.data).toEqual({ errorKind: 'rate_limit' });
      // The same error text is first streamed as an agent_message_chunk.
      expect(agentText(h)).toMatch(/^API Error: Request rejected \(429\) · Number of requests has exceeded/);
      expect(api.requests.filter((r) => r.status === 429)).toHaveLength(1);
      // The session stays usable: the next prompt works.
      h.updates.length = 0;
      const next = await prompt(h, sessionId, 'say recovered');
      expect(next.stopReason).toBe('end_turn');
      expect(agentText(h)).toBe('recovered');
    },
    T,
  );

  it(
    '(e2) "trigger overloaded": session/prompt fails with -32603 (errorKind server_error)',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const err = await rejectionOf(prompt(h, sessionId, 'trigger overloaded'));
      expect(err.code).toBe(-32603);
      expect(err.message).toMatch(/^Internal error: API Error: 529 Overloaded/);
      expect(err.data).toEqual({ errorKind: 'server_error' });
    },
    T,
  );

  it(
    '(g) "slow: N" streams slowly enough to cancel mid-turn (stopReason cancelled)',
    async () => {
      const api = await startFake();
      const h = await startAgent(api);
      const sessionId = await newSession(h);
      const t0 = performance.now();
      const turn = prompt(h, sessionId, 'slow: 400 say one two three four five six seven eight');
      while (!h.updates.some((u) => u.sessionUpdate === 'agent_message_chunk')) {
        if (performance.now() - t0 > 30_000) throw new Error('no chunk arrived');
        await new Promise((r) => setTimeout(r, 20));
      }
      const tCancel = performance.now();
      await h.conn.agent.notify(methods.agent.session.cancel, { sessionId });
      const res = await turn;
      h.timings.cancelToStop = performance.now() - tCancel;
      expect(res.stopReason).toBe('cancelled');
      expect(agentText(h).length).toBeLessThan('one two three four five six seven eight'.length);
    },
    T,
  );

  it(
    '(f) without ANTHROPIC_API_KEY, session/prompt fails with -32000 Authentication required',
    async () => {
      const api = await startFake();
      const h = await startAgent(api, { apiKey: null });
      const sessionId = await newSession(h);
      const err = await rejectionOf(prompt(h, sessionId, 'say hi'));
      expect(err.code).toBe(-32000);
      expect(err.message).toBe('Authentication required');
      expect(api.requests.filter((r) => r.kind === 'main')).toEqual([]);
    },
    T,
  );
});
