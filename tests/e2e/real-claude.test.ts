/**
 * The end-to-end tier: a real Aegis server on port 0 running the REAL Claude Code ACP adapter
 * (`claude-code`, the pinned default agent) against the local stand-in for the Messages API,
 * driven only through `@aegis/client`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AegisClient, type AegisEvent, type TranscriptEntry } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { claudeAgentEnv, type FakeMessagesApi, startFakeMessagesApi } from '@aegis/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, eventually, hideClaudeEnv, killAll, processesIn, tempRoot } from './helpers.js';

const restoreEnv = hideClaudeEnv();

const root = tempRoot('claude');
const home = root.sub('home');
const work = root.sub('work');
let api: FakeMessagesApi;
let server: RunningServer;
let client: AegisClient;
const logs: EventLog[] = [];
const sessionIds = new Set<string>();
const thisTest = new Set<string>();

let dirCount = 0;
const workDir = (name: string) => root.sub(`work/${++dirCount}-${name}`);

function follow(id: string, after = 0): EventLog {
  const log = new EventLog(client, id, after);
  logs.push(log);
  return log;
}

async function create(body: Parameters<AegisClient['createSession']>[0]) {
  const res = await client.createSession(body);
  sessionIds.add(res.session.id);
  thisTest.add(res.session.id);
  return res;
}

/** Waits for the turn starting at or after `from` to end and the session to be idle again. */
async function turnEnd(log: EventLog, from = 0) {
  const end = await log.waitForTurnEnd({ from });
  await log.waitFor((e) => e.type === 'session.state_changed' && e.data.to !== 'working', {
    from: log.events.indexOf(end),
  });
  return end;
}

/** PIDs of processes whose command line contains `needle` (Linux /proc). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(needle)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

beforeAll(async () => {
  api = await startFakeMessagesApi();
  server = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: root.sub('state'),
      allowedWorkDirs: [work],
      agentEnv: claudeAgentEnv({ baseUrl: api.url, home }),
      logLevel: 'warn',
    },
  });
  client = new AegisClient({ baseUrl: server.url });
});

afterEach(async () => {
  // Each adapter holds ~300 MiB: end the sessions a test started before the next one begins.
  await killAll(client, thisTest);
  thisTest.clear();
});

afterAll(async () => {
  try {
    await Promise.all(logs.map((l) => l.close()));
    if (client) await killAll(client, sessionIds);
  } finally {
    await server?.close();
    await api?.close();
    root.remove();
    restoreEnv();
  }
});

const WRITE_PROMPT = 'create a file named hello.txt containing Hello from Aegis';

describe('real Claude Code through the HTTP API', () => {
  it('writes a file after the permission request is approved over the API', async () => {
    const dir = workDir('approve');
    const { session, reused } = await create({ workDir: dir, prompt: WRITE_PROMPT });
    expect(reused).toBe(false);
    expect(session.agent).toBe('claude-code');
    const log = follow(session.id);

    const requested = await log.waitForType('permission.requested');
    await log.waitFor((e) => e.type === 'session.state_changed' && e.data.to === 'permission_prompt');
    const waiting = await client.getSession(session.id);
    expect(waiting.status).toBe('permission_prompt');
    expect(waiting.pendingPermission?.requestId).toBe(requested.data.requestId);
    expect(requested.data.options.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['allow_once', 'reject_once']),
    );
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);

    const answer = await client.approvePermission(session.id);
    expect(answer.optionKind).toBe('allow_once');

    const end = await turnEnd(log);
    expect(end).toMatchObject({ type: 'turn.completed', data: { stopReason: 'end_turn' } });
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('Hello from Aegis');
    expect((await client.getSession(session.id)).status).toBe('idle');

    const { entries } = await client.readSession(session.id);
    const roles = entries.map((e) => e.role);
    expect(roles).toEqual(expect.arrayContaining(['user', 'assistant', 'tool', 'permission']));
    expect(entries.find((e) => e.role === 'user')?.text).toBe(WRITE_PROMPT);
    expect(entries.filter((e) => e.role === 'assistant').map((e) => e.text)).toContain('Created hello.txt.');
    const tool = entries.find((e) => e.role === 'tool')?.tool;
    expect(tool?.status).toBe('completed');
    expect(tool?.content).toContainEqual(
      expect.objectContaining({ type: 'diff', path: join(dir, 'hello.txt'), newText: 'Hello from Aegis' }),
    );
    const permission = entries.find((e) => e.role === 'permission')?.permission;
    expect(permission).toMatchObject({ outcome: 'selected', optionKind: 'allow_once' });
    expect(permission?.decidedBy.type).toBe('human');
  });

  it('a rejected write leaves no file, fails the tool call and returns the session to idle', async () => {
    const dir = workDir('reject');
    const { session } = await create({ workDir: dir, prompt: WRITE_PROMPT });
    const log = follow(session.id);
    await log.waitForType('permission.requested');

    const answer = await client.rejectPermission(session.id);
    expect(answer.optionKind).toBe('reject_once');

    const tool = await log.waitFor<Extract<AegisEvent, { type: 'tool.completed' }>>(
      (e) => e.type === 'tool.completed',
    );
    expect(tool.data.status).toBe('failed');
    const end = await turnEnd(log);
    expect(end.type).toBe('turn.completed');
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);
    expect((await client.getSession(session.id)).status).toBe('idle');
    const { entries } = await client.readSession(session.id);
    expect(entries.find((e) => e.role === 'tool')?.tool?.status).toBe('failed');
    expect(entries.find((e) => e.role === 'permission')?.permission?.optionKind).toBe('reject_once');
  });

  it('reuses an idle session in the same workDir, but not a working one', async () => {
    const dir = workDir('reuse');
    // A client that remembers the HTTP status, to see the 201 of a create and the 200 of a reuse.
    const statuses: number[] = [];
    const recording = new AegisClient({
      baseUrl: server.url,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        statuses.push(res.status);
        return res;
      },
    });
    const first = await recording.createSession({ workDir: dir });
    sessionIds.add(first.session.id);
    thisTest.add(first.session.id);
    expect(statuses).toEqual([201]);
    expect(first.reused).toBe(false);
    expect(first.session.status).toBe('idle');
    const log = follow(first.session.id);

    const again = await recording.createSession({ workDir: dir, prompt: 'slow: 1000 say still here' });
    expect(statuses).toEqual([201, 200]);
    expect(again.reused).toBe(true);
    expect(again.session.id).toBe(first.session.id);
    await log.waitFor((e) => e.type === 'session.state_changed' && e.data.to === 'working');

    // Now the session works: a create in its directory starts a new one.
    const other = await create({ workDir: dir });
    expect(other.reused).toBe(false);
    expect(other.session.id).not.toBe(first.session.id);

    const end = await turnEnd(log);
    expect(end.type).toBe('turn.completed');
    const { entries } = await client.readSession(first.session.id);
    expect(entries.find((e) => e.role === 'assistant')?.text).toBe('still here');
  });

  it('acceptEdits mode writes without asking for permission', async () => {
    const dir = workDir('accept-edits');
    const { session } = await create({ workDir: dir });
    const moded = await client.setMode(session.id, { mode: 'acceptEdits' });
    expect(moded.permissionMode).toBe('acceptEdits');
    const log = follow(session.id);

    await client.sendMessage(session.id, {
      text: 'create a file named edits.txt containing no questions asked',
    });
    const end = await turnEnd(log);
    expect(end).toMatchObject({ type: 'turn.completed', data: { stopReason: 'end_turn' } });
    expect(readFileSync(join(dir, 'edits.txt'), 'utf8')).toBe('no questions asked');
    expect(log.events.some((e) => e.type === 'permission.requested')).toBe(false);
  });

  it('interrupt cancels a long-running command and the session goes back to idle', async () => {
    const dir = workDir('interrupt');
    // The marker makes the command recognisable among the host's processes.
    const command = 'node -e "setTimeout(()=>{},30000) /* aegis-e2e-interrupt */"';
    const marker = 'aegis-e2e-interrupt';
    const { session } = await create({ workDir: dir, prompt: `run \`${command}\`` });
    const log = follow(session.id);

    // `node -e` asks first in default mode.
    await log.waitForType('permission.requested');
    await client.approvePermission(session.id);
    expect(await eventually(() => processesWith(marker).length > 0, 20_000)).toBe(true);

    const started = Date.now();
    const res = await client.interruptSession(session.id);
    expect(res.interrupted).toBe(true);
    const end = await turnEnd(log);
    expect(end).toMatchObject({ type: 'turn.completed', data: { stopReason: 'cancelled' } });
    // Well before the command's own 30 s: the cancel ended the turn, not the timer.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await client.getSession(session.id)).status).toBe('idle');

    await client.killSession(session.id);
    expect(await eventually(() => processesWith(marker).length === 0, 15_000)).toBe(true);
  });
});

describe('one conversation read back through the API', () => {
  let id: string;
  let log: EventLog;

  beforeAll(async () => {
    const { session } = await client.createSession({ workDir: workDir('conversation'), prompt: 'say one' });
    id = session.id;
    sessionIds.add(id);
    log = follow(id);
    // Sent while the first turn runs (or the agent starts): queued and delivered in order.
    await client.sendMessage(id, { text: 'say two' });
    await client.sendMessage(id, { text: 'say three' });
    for (let done = 0, from = 0; done < 3; done++) {
      const end = await log.waitForTurnEnd({ from });
      expect(end.type).toBe('turn.completed');
      from = log.events.indexOf(end) + 1;
    }
  });

  it('delivers queued prompts in order', async () => {
    const { entries } = await client.readSession(id);
    const said = entries.filter((e) => e.role === 'user' || e.role === 'assistant').map((e) => e.text);
    expect(said).toEqual(['say one', 'one', 'say two', 'two', 'say three', 'three']);
  });

  it('pages the transcript backwards with no gaps or duplicates', async () => {
    const all = (await client.readSession(id)).entries;
    expect(all.length).toBeGreaterThanOrEqual(6);
    const pages: TranscriptEntry[][] = [];
    let before: number | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await client.getTranscriptPage(id, { limit: 2, ...(before ? { before_id: before } : {}) });
      expect(page.messages.length).toBeLessThanOrEqual(2);
      pages.unshift(page.messages);
      if (!page.has_more) break;
      expect(page.oldest_id).toBe(page.messages[0]?.id);
      before = page.oldest_id ?? undefined;
    }
    const ids = pages.flat().map((e) => e.id);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    expect(ids).toEqual(all.map((e) => e.id));
  });

  it('resumes the SSE stream after the last seen seq without gaps or duplicates', async () => {
    const abort = new AbortController();
    const firstPart: AegisEvent[] = [];
    for await (const e of client.streamSessionEvents(id, { signal: abort.signal })) {
      firstPart.push(e);
      if (firstPart.length === 5) abort.abort();
    }
    expect(firstPart.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);

    // Reconnect while a slow turn is still streaming, so the resumed stream goes from stored
    // events (everything since seq 5) straight into live ones, with no gap or duplicate.
    const from = log.length;
    await client.sendMessage(id, { text: 'slow: 400 say one two three four' });
    const started = await log.waitFor((e) => e.type === 'turn.started', { from });
    await log.waitFor((e) => e.type === 'message.delta', { from });
    const rest: AegisEvent[] = [];
    const again = new AbortController();
    let liveAtReconnect = Number.POSITIVE_INFINITY;
    for await (const e of client.streamSessionEvents(id, { after: 5, signal: again.signal })) {
      if (rest.length === 0) liveAtReconnect = log.events.at(-1)!.seq;
      rest.push(e);
      if ((e.type === 'turn.completed' || e.type === 'turn.failed') && e.seq > started.seq) again.abort();
    }
    await turnEnd(log, from);
    const lastSeq = rest.at(-1)!.seq;
    // The turn was still running when we reconnected: some of what we got arrived live.
    expect(lastSeq).toBeGreaterThan(liveAtReconnect);
    expect(rest[0]?.seq).toBe(6);
    const seqs = rest.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: lastSeq - 5 }, (_, i) => i + 6));
    expect(rest.map((e) => e.id)).toEqual(log.events.slice(5, lastSeq).map((e) => e.id));
  });
});

describe('without an API key', () => {
  let noKeyApi: FakeMessagesApi;
  let noKeyServer: RunningServer;
  let noKeyClient: AegisClient;

  beforeAll(async () => {
    noKeyApi = await startFakeMessagesApi();
    noKeyServer = await startServer({
      ignoreEnv: true,
      config: {
        port: 0,
        stateDir: root.sub('state-no-key'),
        allowedWorkDirs: [work],
        agentEnv: claudeAgentEnv({ baseUrl: noKeyApi.url, home: root.sub('home-no-key'), apiKey: null }),
        logLevel: 'warn',
      },
    });
    noKeyClient = new AegisClient({ baseUrl: noKeyServer.url });
  });

  afterAll(async () => {
    await noKeyServer?.close();
    await noKeyApi?.close();
  });

  it('fails the turn with AGENT_AUTH_REQUIRED and an actionable message', async () => {
    const { session } = await noKeyClient.createSession({ workDir: workDir('no-key'), prompt: 'say hi' });
    const log = new EventLog(noKeyClient, session.id);
    try {
      const end = await log.waitForTurnEnd();
      expect(end.type).toBe('turn.failed');
      await log.waitFor((e) => e.type === 'session.state_changed' && e.data.to === 'error');
      const after = await noKeyClient.getSession(session.id);
      expect(after.status).toBe('error');
      expect(after.problem?.code).toBe('AGENT_AUTH_REQUIRED');
      expect(after.problem?.message).toMatch(/ANTHROPIC_API_KEY/);
      expect(noKeyApi.requests.filter((r) => r.kind === 'main')).toEqual([]);
    } finally {
      await log.close();
      await noKeyClient.killSession(session.id).catch(() => {});
    }
  });
});

describe('shutdown', () => {
  it('closing the server leaves no adapter or Claude Code process behind', async () => {
    // The conversation's session is still live, so there is something to clean up.
    expect(processesIn(work).length).toBeGreaterThan(0);
    await server.close();
    sessionIds.clear(); // nothing left to kill through the API
    expect(await eventually(() => processesIn(work).length === 0, 15_000)).toBe(true);
  });
});
