// A Slack click that reaches a node of a cluster other than the one running the session (every node
// answers the interactivity endpoint) is carried out on the owner, as the Slack user. Two real
// servers sharing one PostgreSQL schema. Needs PostgreSQL (AEGIS_TEST_POSTGRES_URL).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { script, signInteraction, startFakeSlackApi } from '@aegis/testkit';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { dropSchemas, startChannelCluster } from '../__fixtures__/channel-cluster.js';
import { until } from '../__fixtures__/until.js';

vi.setConfig({ testTimeout: 60_000 });

const SIGNING = 'slack-signing-secret-0123456789';
const schemas: string[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => dropSchemas(schemas));

describe('Slack on a cluster of two nodes', () => {
  it('a click on the node that does not run the session approves it on the owner, as the Slack user', async () => {
    const slack = await startFakeSlackApi();
    cleanups.push(() => slack.close());
    const { work, schema, nodes } = await startChannelCluster({
      name: 'slcl',
      cleanups,
      channels: {
        slack: slack.channelConfig({ signingSecret: SIGNING, allowedUserIds: ['U1'], role: 'admin' }),
      },
    });
    schemas.push(schema);
    const { 'node-a': a, 'node-b': b } = nodes;

    const res = await fetch(`${a.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workDir: work,
        reuse: false,
        prompt: script({
          tool: {
            title: 'Write s.txt',
            kind: 'edit',
            permission: true,
            write: { path: 's.txt', content: 'ok\n' },
          },
        }),
      }),
    });
    const created = (await res.json()) as { id: string; node: string };
    expect(res.status).toBe(201);
    expect(created.node).toBe('node-a');
    const ask = await until('the permission message', () => slack.messages.find((m) => m.blocks), 20_000);
    const value = (ask.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find(
      (x) => x.type === 'actions',
    )?.elements?.[0]?.value as string;

    // The click reaches node-b, which does not run the session.
    const click = signInteraction(SIGNING, {
      type: 'block_actions',
      user: { id: 'U1', username: 'u1' },
      actions: [{ action_id: 'aegis_approve', value }],
    });
    const answered = await fetch(`${b.url}/v1/channels/slack/interactivity`, {
      method: 'POST',
      headers: click.headers,
      body: click.body,
    });
    expect(answered.status).toBe(200);
    const file = join(work, 's.txt');
    await until('the file', () => existsSync(file) && readFileSync(file, 'utf8') === 'ok\n', 20_000);
    await until('the update', () => ask.updates.length > 0, 20_000);
    expect(ask.text).toMatch(/✅ Approved by <@U1>$/);
    const audit = (await (await fetch(`${b.url}/v1/audit?action=channels.slack.approve`)).json()) as {
      records: { actorId: string; outcome: string; target: string }[];
    };
    expect(audit.records).toEqual([
      expect.objectContaining({ actorId: 'slack:U1', outcome: 'ok', target: created.id }),
    ]);
  });
});
