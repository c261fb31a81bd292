// Several Aegis server processes sharing the machine's PostgreSQL (AEGIS_TEST_POSTGRES_URL): a node
// SIGKILLed mid-turn is replaced by another within its lease and the conversation goes on there
// with its context; a node SIGSTOPped past its lease loses its sessions and, once resumed, writes
// nothing more and stops its agents; a node told SIGTERM drains and hands its sessions over.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { pgQuery, startClusterNode } from './cluster-node.js';
import {
  eventually,
  gapProblem,
  isAlive,
  RawSse,
  type ServerProcess,
  slowChunks,
  tempDir,
  waitForStatus,
  waitForTurns,
} from './harness.js';

const LEASE_MS = 3_000;

describe('a cluster of server processes on one PostgreSQL database', () => {
  const root = tempDir('cluster');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of servers) {
      try {
        process.kill(s.pid, 'SIGCONT');
      } catch {}
      await s.stop();
    }
    for (const s of schemas) await pgQuery(`drop schema if exists "${s}" cascade`);
    root.remove();
  });

  /** Nodes a, b, c… in a fresh schema; each keeps the agent's conversation files on its own disk. */
  async function nodes(n: number): Promise<ServerProcess[]> {
    const schema = `aegis_rel_${process.pid}_${Date.now().toString(36)}`;
    schemas.push(schema);
    const out: ServerProcess[] = [];
    for (let i = 0; i < n; i++) {
      const id = `node-${'abc'[i]}`;
      const disk = root.sub(`${schema}-${id}`);
      mkdirSync(join(disk, 'agent-sessions'), { recursive: true });
      const server = await startClusterNode({
        id,
        stateDir: join(disk, 'state'),
        work,
        schema,
        leaseMs: LEASE_MS,
        drainMs: 3_000,
        agent: {
          env: { SCRIPTED_AGENT_SESSION_DIR: join(disk, 'agent-sessions'), SCRIPTED_AGENT_RESTORE: 'load' },
          // Captured into the database at turn boundaries: how the adopting node gets them.
          conversation: { dirEnv: 'SCRIPTED_AGENT_SESSION_DIR', files: ['{id}.jsonl'] },
        },
      });
      servers.push(server);
      out.push(server);
    }
    return out;
  }

  const agentPid = (frames: RawSse['frames']) =>
    (frames.findLast((f) => f.event.type === 'agent.ready')?.event.data as { pid?: number } | undefined)?.pid;

  it('SIGKILL of the owner mid-turn: another node adopts the session, the next prompt has its context, the stream on a third node has no gap', async () => {
    const [a, b, c] = (await nodes(3)) as [ServerProcess, ServerProcess, ServerProcess];
    const { session } = await a.client.createSession({ workDir: work, prompt: 'codeword heron' });
    const id = session.id;
    await waitForTurns(b.client, id, 1);
    // A second completed turn: A captured the conversation whole at the first turn's end and only
    // what the second appended at its end, so the adopting node restores a whole copy plus a piece.
    await b.client.sendMessage(id, { text: 'codeword ibis' });
    await waitForTurns(b.client, id, 2, ['idle']);
    const [{ pieces }] = (await pgQuery<{ pieces: number }>(
      `select count(*)::int as pieces from "${schemas.at(-1)}".agent_conversation_pieces where session_id = '${id}'`,
    )) as [{ pieces: number }];
    expect(pieces).toBeGreaterThanOrEqual(1);
    const stream = new RawSse(`${c.url}/v1/sessions/${id}/events`);
    // A long turn, sent through B (forwarded to A, which owns the session).
    await b.client.sendMessage(id, { text: slowChunks(400, 25) });
    await stream.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 40);
    const oldPid = agentPid(stream.frames);

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    expect(await eventually(() => oldPid !== undefined && !isAlive(oldPid), 5_000)).toBe(true);

    // Adopted by B or C once the lease ran out: the cut-off turn failed, the session waits dormant.
    await stream.until((f) => f.some((x) => x.event.type === 'session.adopted'));
    const adoptedMs = Date.now() - killedAt;
    const adopted = stream.frames.find((f) => f.event.type === 'session.adopted')?.event;
    expect(adopted?.data).toMatchObject({ fromNode: 'node-a' });
    const newOwner = (adopted?.data as { node?: string } | undefined)?.node;
    expect(['node-b', 'node-c']).toContain(newOwner);
    await stream.until((f) => f.some((x) => x.event.type === 'turn.failed'));

    // The next prompt (sent to C whichever node adopted) asks the agent which earlier prompts its
    // own conversation holds: the adopting node put back A's snapshot (the whole copy joined with the
    // piece) and the agent reopened it (session/load), so it knows both completed turns.
    await c.client.sendMessage(id, { text: script({ recall: true }) });
    // Answered once the reply to this prompt is in the transcript (read through another node).
    let reply = '';
    expect(
      await eventually(async () => {
        const read = await c.client.readSession(id);
        reply = read.entries.filter((e) => e.role === 'assistant').at(-1)?.text ?? '';
        return reply.includes('"prompts"');
      }, 30_000),
    ).toBe(true);
    const answeredMs = Date.now() - killedAt;
    const done = await waitForTurns(b.client, id, 4, ['idle']);
    expect(done.node).toBe(newOwner);
    await stream.until((f) => f.some((x) => x.event.type === 'agent.resumed'));
    const resumed = stream.frames.find((f) => f.event.type === 'agent.resumed')?.event.data as
      | { via?: string }
      | undefined;
    const via = resumed?.via ?? '';
    expect(via).toBe('load');
    expect(JSON.parse(reply)).toMatchObject({ first: 'codeword heron', last: 'codeword ibis' });

    // One log, gap-free and without duplicates, the same on every node.
    await stream.until((f) => f.filter((x) => x.event.type === 'turn.completed').length >= 2);
    await stream.stop();
    const ids = stream.frames.map((f) => f.id);
    expect(gapProblem(ids, 1)).toBeNull();
    const stored = await c.client.getSession(id);
    expect(ids.at(-1)).toBeLessThanOrEqual(stored.lastSeq);
    const audit = await fetch(`${b.url}/v1/audit?verify=true&limit=1`).then((r) => r.json());
    expect(audit.verification).toMatchObject({ ok: true });
    console.log(
      `[figures] failover: SIGKILL → adopted in ${adoptedMs} ms, → next turn answered on ${newOwner} in ${answeredMs} ms (lease ${LEASE_MS} ms, context via ${via})`,
    );
  });

  it('SIGSTOP past the lease: the paused node loses its session, its late writes are refused and its agent stopped once it resumes', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const { session } = await a.client.createSession({ workDir: work, prompt: 'hello' });
    const id = session.id;
    await waitForTurns(b.client, id, 1);
    const stream = new RawSse(`${b.url}/v1/sessions/${id}/events`);
    await a.client.sendMessage(id, { text: slowChunks(300, 20) });
    await stream.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 20);
    const oldPid = agentPid(stream.frames);
    expect(oldPid).toBeGreaterThan(0);

    process.kill(a.pid, 'SIGSTOP');
    await stream.until((f) => f.some((x) => x.event.type === 'session.adopted'));
    const adoptedSeq = stream.frames.find((f) => f.event.type === 'session.adopted')?.id ?? 0;
    process.kill(a.pid, 'SIGCONT');

    // A finds out (heartbeat or a refused write) and stops the agent it still ran.
    expect(await eventually(() => !isAlive(oldPid as number), 10_000)).toBe(true);
    const owner = await a.client.getSession(id);
    expect(owner.node).toBe('node-b');
    // Nothing of the old turn was written after the takeover: the log after it is B's alone.
    const after = await fetch(`${b.url}/v1/sessions/${id}/events?after=${adoptedSeq}`, {
      headers: { accept: 'text/event-stream' },
      signal: AbortSignal.timeout(1_500),
    })
      .then((r) => r.text())
      .catch((e: Error) => (e.name === 'TimeoutError' ? '' : Promise.reject(e)));
    expect(after).not.toMatch(/chunk \d+/);
    await stream.stop();
    expect(
      gapProblem(
        stream.frames.map((f) => f.id),
        1,
      ),
    ).toBeNull();
    // A is healthy again and serves the session through its new owner.
    await a.client.sendMessage(id, { text: script({ say: 'after the pause' }) });
    const done = await waitForStatus(a.client, id, ['idle']);
    expect(done.node).toBe('node-b');
    expect(a.output()).toMatch(/took session .* over|write was refused/);
  });

  it('SIGTERM drains a node: its sessions are adopted at once, and it leaves the cluster', async () => {
    const [a, b] = (await nodes(2)) as [ServerProcess, ServerProcess];
    const { session } = await a.client.createSession({ workDir: work, prompt: 'before the drain' });
    await waitForTurns(b.client, session.id, 1);
    const stoppedAt = Date.now();
    a.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    await b.client.sendMessage(session.id, { text: script({ recall: true }) });
    const done = await waitForTurns(b.client, session.id, 2);
    expect(done.node).toBe('node-b');
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS + 8_000);
    const nodesNow = (await fetch(`${b.url}/v1/nodes`).then((r) => r.json())) as {
      nodes: { id: string; state: string }[];
    };
    expect(nodesNow.nodes.find((n) => n.id === 'node-a')?.state).toBe('gone');
  });
});
