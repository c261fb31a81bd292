// Two Aegis server processes on the machine's PostgreSQL sharing one Telegram bot (the Bot API
// stand-in, which answers 409 when two pollers overlap): the node that runs the channels is
// SIGKILLed, and the other takes the channels over once the dead node's lease runs out — its
// sessions reach Telegram and typed prompts are read again, with no two pollers at once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeTelegramApi, startFakeTelegramApi } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgQuery, startClusterNode } from './cluster-node.js';
import { type ServerProcess, tempDir } from './harness.js';

const LEASE_MS = 3_000;
const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };

async function waitFor<T>(
  what: string,
  get: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runnerSeenBy = async (server: ServerProcess): Promise<string | null> => {
  const res = await fetch(`${server.url}/v1/channels`);
  const { channels } = (await res.json()) as { channels: { name: string; runner: string | null }[] };
  return channels.find((c) => c.name === 'telegram')?.runner ?? null;
};

describe('channels on a cluster when the runner is SIGKILLed', () => {
  const root = tempDir('channel-cluster');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  const schema = `aegis_relch_${process.pid}_${Date.now().toString(36)}`;
  let tg: FakeTelegramApi;
  beforeAll(async () => {
    tg = await startFakeTelegramApi();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await tg.close();
    await pgQuery(`drop schema if exists "${schema}" cascade`);
    root.remove();
  });

  const node = async (id: string) => {
    const disk = root.sub(`${id}`);
    mkdirSync(join(disk, 'state'), { recursive: true });
    const server = await startClusterNode({
      id,
      stateDir: join(disk, 'state'),
      work,
      schema,
      leaseMs: LEASE_MS,
      drainMs: 1_000,
      config: {
        channels: {
          telegram: tg.channelConfig({ allowedUserIds: [ALICE.id], role: 'admin' }),
        },
      },
    });
    servers.push(server);
    return server;
  };

  it('the other node takes the channels over within the lease, and nothing is sent twice', async () => {
    const nodes = { 'node-a': await node('node-a'), 'node-b': await node('node-b') };
    const runner = await waitFor(
      'both nodes name one runner',
      async () => {
        const [a, b] = [await runnerSeenBy(nodes['node-a']), await runnerSeenBy(nodes['node-b'])];
        return a !== null && a === b ? a : undefined;
      },
      15_000,
    );
    const dead = nodes[runner as 'node-a' | 'node-b'];
    const survivorId = runner === 'node-a' ? 'node-b' : 'node-a';
    const survivor = nodes[survivorId];
    const { session: first } = await survivor.client.createSession({
      workDir: work,
      prompt: 'before the kill',
    });
    await waitFor(
      'the first reply',
      () => tg.messages.some((m) => m.text === 'You said: before the kill'),
      15_000,
    );

    const killedAt = Date.now();
    dead.child.kill('SIGKILL');
    await dead.exited;
    const { session: second } = await survivor.client.createSession({
      workDir: work,
      prompt: 'after the kill',
      reuse: false,
    });
    await waitFor(
      'the survivor runs the channels',
      async () => (await runnerSeenBy(survivor)) === survivorId,
      LEASE_MS * 4,
    );
    // Not before the dead node's lease could have run out: no overlap by construction.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS * 0.5);
    await waitFor(
      'the reply queued during the takeover',
      () => tg.messages.some((m) => m.text === 'You said: after the kill'),
      20_000,
    );

    const topic = tg.topics.find((t) => t.name.includes(first.id.slice(0, 8)));
    expect(topic).toBeDefined();
    tg.userMessage(ALICE, 'typed after the kill', topic?.message_thread_id);
    await waitFor(
      'the reply to the typed prompt',
      () => tg.messages.some((m) => m.text === 'You said: typed after the kill'),
      20_000,
    );

    expect(tg.conflicts).toBe(0);
    expect(tg.topics.filter((t) => t.name.includes(second.id.slice(0, 8)))).toHaveLength(1);
    const texts = tg.messages.map((m) => `${m.message_thread_id}:${m.text}`);
    expect(new Set(texts).size, JSON.stringify(texts)).toBe(texts.length);
  }, 120_000);
});
