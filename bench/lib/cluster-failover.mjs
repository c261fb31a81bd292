// Failover for the cluster scenario: the owner of an idle session is SIGKILLed and the client's next
// prompt, sent through another node, is timed until it is answered.
import { script } from '@aegis/testkit';
import { createSession, waitIdle } from './aegis.mjs';
import { TURN_LIMIT_MS, within } from './cluster-nodes.mjs';
import { api } from './http.mjs';
import { sleep } from './proc.mjs';
import { subscribe } from './sse.mjs';

/** A client retrying a 503 waits what Retry-After says (the lease, in seconds), but at most this. */
export const RETRY_CAP_MS = 250;
/**
 * An idle session on node 0 (with {@link failover}'s share of other idle sessions); node 0 is SIGKILLed; the client sends the next prompt through node 1,
 * retrying each 503 NODE_UNAVAILABLE after Retry-After (capped at {@link RETRY_CAP_MS}), and follows
 * the session's stream on node 1. Times from the kill: the accepted send, `session.adopted`, and
 * the `turn.completed` of the new prompt.
 *
 * The sends carry no Idempotency-Key, although docs/deployment.md advises one: a keyed send that
 * node 1 forwards to the adopting node 2 waits 10 s and fails 409 IDEMPOTENCY_IN_PROGRESS (node 1
 * holds the key in the shared store while node 2 tries to claim it), and the 409 is then kept as
 * the key's answer. See docs/benchmarks.md, "Cluster". Retrying here is safe without a key: node 0
 * is dead before the first send, so a 503 means nothing was applied.
 */
export async function failover(nodes, t, size) {
  const [a, b] = nodes;
  // Node 0 dies with the share of idle sessions one node of the loaded cluster holds; all are adopted.
  const held = (await api(a.url, 'GET', '/v1/nodes')).nodes.find((x) => x.id === a.id)?.sessions ?? 0;
  const share = Math.max(0, Math.ceil(size.clusterLoadSessions / nodes.length) - held);
  for (let i = 0; i < share; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, share - i) }, () =>
        createSession(a.url, { workDir: t.dir('failover-idle') }),
      ),
    );
  const { id, session } = await createSession(a.url, {
    workDir: t.dir('failover'),
    prompt: script({ say: 'before' }),
  });
  if (session.node !== a.id) throw new Error(`the failover session is owned by ${session.node}, not ${a.id}`);
  const idle = await waitIdle(b.url, id, 1);
  const ownedByA = (await api(b.url, 'GET', '/v1/nodes')).nodes.find((n) => n.id === a.id)?.sessions;
  let adoptedMs = null;
  let answered;
  const answer = new Promise((r) => (answered = r));
  let killedAt = 0;
  const stream = subscribe(`${b.url}/v1/sessions/${id}/events`, {
    lastEventId: idle.lastSeq,
    onEvent(e) {
      if (e.type === 'session.adopted' && adoptedMs === null) adoptedMs = performance.now() - killedAt;
      if (e.type === 'turn.completed') answered(performance.now() - killedAt);
    },
  });
  try {
    await stream.opened;
    killedAt = performance.now();
    a.child.kill('SIGKILL');
    const statuses = {};
    let attempts = 0;
    let acceptedMs;
    for (;;) {
      attempts++;
      const res = await fetch(`${b.url}/v1/sessions/${id}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: script({ say: 'after the failover' }) }),
      });
      const body = await res.text();
      if (res.ok) {
        acceptedMs = performance.now() - killedAt;
        break;
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status !== 503)
        throw new Error(`send after the kill: HTTP ${res.status} ${body.slice(0, 300)}`);
      if (performance.now() - killedAt > TURN_LIMIT_MS)
        throw new Error(`no node took session ${id} over ${TURN_LIMIT_MS} ms after its owner was killed`);
      const retryAfterS = Number(res.headers.get('retry-after'));
      await sleep(Math.min(RETRY_CAP_MS, retryAfterS > 0 ? retryAfterS * 1000 : RETRY_CAP_MS));
    }
    const answeredMs = await within(answer, TURN_LIMIT_MS, 'the prompt after the failover');
    const { node: newOwner } = await api(b.url, 'GET', `/v1/sessions/${id}`);
    return { answeredMs, acceptedMs, adoptedMs, attempts, statuses, ownedByA, newOwner };
  } finally {
    stream.close();
  }
}
