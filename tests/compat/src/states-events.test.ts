// The states and the event stream of the documents, observed on a real session.
import { readFileSync } from 'node:fs';
import { AegisClient } from '@aegis/client';
import type { RunningServer } from '@aegis/server';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, startScripted, until, workspace } from './harness.js';

const ws = workspace('states');
let server: RunningServer;
let client: AegisClient;
beforeAll(async () => {
  server = await startScripted(ws.base);
  client = new AegisClient(server.url);
});
afterAll(() => server?.close());

const spec = JSON.parse(readFileSync(new URL('../../../openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { enum?: string[] }> };
};

describe('states', () => {
  it('every state of the documents is a state of ours, except the tmux-era ones, which map', () => {
    const ours = spec.components.schemas.SessionStatus?.enum ?? [];
    const documented = [
      'working',
      'idle',
      'permission_prompt',
      'asking',
      'pending',
      'error',
      'rate_limit',
      'killed',
      'completed',
      'crashed',
      'stalled',
    ];
    expect(documented.filter((s) => !ours.includes(s))).toEqual([]);
  });

  it.each([
    ['bash_approval', 200],
    ['plan_mode', 200],
    ['ask_question', 200],
    ['active', 200],
    ['unknown', 400],
  ])('?status=%s answers %i', async (name, status) => {
    const r = await curl(server, 'GET', `/v1/sessions?status=${name}`);
    expect(r.status).toBe(status);
    if (status === 400) expect(r.json.error.message).toMatch(/always knows a session's state/);
  });

  it('a session passes idle → working → permission_prompt → working → idle, as the state table says', async () => {
    const { id } = (await client.createSession({ workDir: ws.folder() })) as unknown as { id: string };
    const seen: string[] = [];
    const events: string[] = [];
    const abort = new AbortController();
    const reading = (async () => {
      for await (const e of client.streamSessionEvents(id, { signal: abort.signal })) {
        events.push(e.type);
        if (e.type === 'session.state_changed') seen.push((e.data as { to: string }).to);
        if (e.type === 'permission.requested') await client.approvePermission(id);
        if (e.type === 'turn.completed') break;
      }
    })().catch(() => {});
    await client.sendMessage(
      id,
      script(
        { say: 'Writing.' },
        {
          tool: {
            title: 'Write a.txt',
            kind: 'edit',
            permission: true,
            write: { path: 'a.txt', content: 'x' },
          },
        },
        { say: 'Done.' },
      ),
    );
    await until(
      async () => events,
      (e) => e.includes('turn.completed'),
    );
    abort.abort();
    await reading;
    expect(seen).toEqual(expect.arrayContaining(['working', 'permission_prompt']));
    expect(events).toEqual(
      expect.arrayContaining([
        'session.state_changed',
        'turn.started',
        'message.delta',
        'message.completed',
        'permission.requested',
        'permission.resolved',
        'tool.started',
        'tool.completed',
        'turn.completed',
      ]),
    );
  });
});

describe('the event stream', () => {
  it('POST /v1/auth/sse-token gives a single-use token (prefix aegis_sse_); a second use is refused', async () => {
    const { json } = await curl(server, 'POST', '/v1/auth/sse-token');
    expect(json.token).toMatch(/^aegis_sse_/);
    const first = await fetch(`${server.url}/v1/events?token=${json.token}`);
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const second = await fetch(`${server.url}/v1/events?token=${json.token}`);
    expect(second.status).toBe(401);
    await second.body?.cancel();
  });

  it('`id:` is the sequence and Last-Event-ID resumes after it', async () => {
    const created = (await client.createSession({
      workDir: ws.folder(),
      prompt: script({ say: 'one' }),
    })) as unknown as {
      id: string;
    };
    await until(
      () => client.getSession(created.id),
      (s) => s.status === 'idle' && s.turns >= 1,
    );
    const res = await fetch(`${server.url}/v1/sessions/${created.id}/events`, {
      headers: { 'last-event-id': '2' },
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!/id: \d+[\s\S]*id: \d+/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(3);
  });
});
