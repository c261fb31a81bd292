/**
 * Sessions outlive their agent process, with the REAL Claude Code ACP adapter against the local
 * Messages stand-in: an idle session's agent is evicted, and the next prompt resumes the same
 * conversation in a new process — also when Claude Code's own session file is gone — and the model
 * request of the resumed turn carries the words of the turn before the eviction.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AegisClient } from '@aegis/client';
import { createSqliteStore } from '@aegis/core/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hideClaudeEnv,
  killAll,
  processesIn,
  type RealStack,
  startRealStack,
  tempRoot,
  until,
} from './helpers.js';

const restoreEnv = hideClaudeEnv();

const root = tempRoot('evict');
const home = root.sub('home');
const work = root.sub('work');
let stack: RealStack;
let client: AegisClient;
const ids = new Set<string>();

const session = (id: string) => client.getSession(id);
const turnsDone = (id: string, turns: number) =>
  until(
    () => session(id),
    (s) => s.turns === turns && s.status !== 'working' && s.status !== 'pending',
  );
const mainRequests = () => stack.api.requests.filter((r) => r.kind === 'main');
/** The system notes of a session's transcript. */
const notes = async (id: string) =>
  (await client.readSession(id, { limit: 500 })).entries
    .filter((e) => e.role === 'system')
    .map((e) => e.text);

beforeAll(async () => {
  stack = await startRealStack({
    root,
    home,
    allowedWorkDirs: [work],
    config: { sessions: { idleEvictMs: 1_500, maxResidentAgents: 1 } },
  });
  client = stack.client;
});

afterAll(async () => {
  try {
    if (client) await killAll(client, ids);
  } finally {
    await stack?.close();
    root.remove();
    restoreEnv();
  }
});

describe('real Claude Code: eviction and cold resume', () => {
  it('evicts the idle agent, then resumes the conversation — the next model request carries the earlier turn', async () => {
    const dir = root.sub('work/one');
    const { session: s } = await client.createSession({ workDir: dir, prompt: 'say the codeword is PLUM' });
    ids.add(s.id);
    await turnsDone(s.id, 1);
    const evicted = await until(
      () => session(s.id),
      (x) => x.agentResident === false,
    );
    expect(evicted.status).toBe('idle');
    expect(
      await until(
        async () => processesIn(dir).length,
        (n) => n === 0,
        15_000,
      ),
    ).toBe(0);

    const before = mainRequests().length;
    const sentAt = Date.now();
    await client.sendMessage(s.id, { text: 'say after eviction' });
    const done = await turnsDone(s.id, 2);
    expect(done).toMatchObject({ status: 'idle', agentResident: true });
    expect(await notes(s.id)).toContainEqual(
      expect.stringMatching(/reopened its conversation \(session\/resume\)/),
    );
    const sent = JSON.stringify(mainRequests().slice(before).at(-1)?.body ?? {});
    expect(sent).toContain('the codeword is PLUM');
    console.log(
      `[figures] real adapter: evicted after idle; send on the dormant session → turn end ${Date.now() - sentAt} ms`,
    );
  }, 180_000);

  it("resumes with the conversation after Claude Code's own session file is deleted (the copy in the store is put back)", async () => {
    const dir = root.sub('work/two');
    const { session: s } = await client.createSession({ workDir: dir, prompt: 'say the codeword is MANGO' });
    ids.add(s.id);
    await turnsDone(s.id, 1);
    // A second turn: its capture stores only what Claude Code appended to its transcript.
    await client.sendMessage(s.id, { text: 'say the second codeword is KIWI' });
    await turnsDone(s.id, 2);
    await until(
      () => session(s.id),
      (x) => x.agentResident === false,
    );
    // Wipe every transcript Claude Code keeps (as on a new machine or a wiped HOME).
    const projects = join(home, '.claude', 'projects');
    expect(existsSync(projects)).toBe(true);
    for (const entry of readdirSync(projects))
      rmSync(join(projects, entry), { recursive: true, force: true });

    // The store holds the transcript as its first whole copy and the piece the next turn appended.
    const store = createSqliteStore({ path: join(root.sub('state'), 'aegis.db') });
    const snapshot = await store.conversations.get(s.id).finally(() => store.close());
    expect(snapshot?.files.filter((f) => (f.from ?? 0) > 0).length).toBeGreaterThan(0);

    const before = mainRequests().length;
    await client.sendMessage(s.id, { text: 'say after the wipe' });
    await turnsDone(s.id, 3);
    expect(await notes(s.id)).toContainEqual(
      expect.stringMatching(/reopened its conversation \(session\/resume\)/),
    );
    const sent = JSON.stringify(mainRequests().slice(before).at(-1)?.body ?? {});
    expect(sent).toContain('the codeword is MANGO');
    expect(sent).toContain('the second codeword is KIWI');
  }, 180_000);

  it('with maxResidentAgents 1: a new session evicts the idle one, and a busy one gets 429 CAPACITY_EXHAUSTED', async () => {
    const a = (await client.createSession({ workDir: root.sub('work/a'), prompt: 'say alpha' })).session;
    ids.add(a.id);
    await turnsDone(a.id, 1);
    // A command that writes asks for permission: `a` is busy (waiting on a person), not evictable.
    await client.sendMessage(a.id, { text: 'run `echo hi > f.txt`' });
    await until(
      () => session(a.id),
      (x) => x.status === 'permission_prompt',
    );
    const refused = await client.createSession({ workDir: root.sub('work/b') }).then(
      () => null,
      (err: { status?: number; code?: string }) => err,
    );
    expect(refused).toMatchObject({ status: 429, code: 'CAPACITY_EXHAUSTED' });
    await client.rejectPermission(a.id);
    await until(
      () => session(a.id),
      (x) => x.status !== 'working',
    );
    const b = (await client.createSession({ workDir: root.sub('work/b'), prompt: 'say beta' })).session;
    ids.add(b.id);
    await turnsDone(b.id, 1);
    expect((await session(a.id)).agentResident).toBe(false);
    expect(await notes(b.id)).toEqual([]);
    // The evicted agent's process tree goes shortly after the slot is freed (as in the first test).
    expect(
      await until(
        async () => processesIn(root.sub('work/a')).length,
        (n) => n === 0,
        15_000,
      ),
    ).toBe(0);
  }, 180_000);
});
