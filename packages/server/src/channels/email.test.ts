import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, scriptedServerConfig, startSmtpSink } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../__fixtures__/until.js';
import { type RunningServer, startServer } from '../server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(email: Record<string, unknown>, sinkOptions: { reject?: boolean } = {}) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-mail-')));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const work = join(root, 'work');
  mkdirSync(work);
  const sink = await startSmtpSink(sinkOptions);
  cleanups.push(() => sink.close());
  const server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(root, {
      channels: {
        email: {
          smtp: { host: sink.host, port: sink.port },
          from: 'aegis@example.test',
          to: ['ops@example.test'],
          ...email,
        },
      },
    }),
  });
  cleanups.push(() => server.close());
  return { work, sink, server };
}

const post = (server: RunningServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const waitingTool = script({
  tool: {
    title: 'Run make deploy',
    kind: 'execute',
    input: { command: 'make deploy' },
    permission: true,
  },
});

describe('email channel (a real SMTP server process)', () => {
  it('mails a permission that waits longer than permissionWaitMinutes, and not one answered in time', async () => {
    const { work, sink, server } = await setup({ permissionWaitMinutes: 0.02 }); // 1.2 s
    const res = await post(server, '/v1/sessions', { workDir: work, prompt: waitingTool });
    const { id } = (await res.json()) as { id: string };
    const raw = await until('the mail', () => sink.mails[0]);
    // Undo header folding and quoted-printable soft line breaks.
    const mail = { ...raw, data: raw.data.replace(/=\r\n/g, '').replace(/\r\n\s+/g, ' ') };
    expect(mail.from).toBe('aegis@example.test');
    expect(mail.to).toEqual(['ops@example.test']);
    expect(mail.data).toMatch(/Subject: \[Aegis\] .*permission waiting .*Run make deploy/);
    expect(mail.data).toContain('$ make deploy');
    expect(mail.data).toContain(`ag approve ${id}`);

    // A second request answered at once is not mailed.
    const status = async () =>
      ((await (await fetch(`${server.url}/v1/sessions/${id}`)).json()) as { status: string }).status;
    expect((await post(server, `/v1/sessions/${id}/approve`, {})).status).toBe(200);
    await until('idle', async () => (await status()) === 'idle');
    expect((await post(server, `/v1/sessions/${id}/send`, { text: waitingTool })).status).toBeLessThan(300);
    await until('the second request', async () => (await status()) === 'permission_prompt');
    expect((await post(server, `/v1/sessions/${id}/approve`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect(sink.mails).toHaveLength(1);
  }, 20_000);

  it('mails failures and, when asked, completions with the reply', async () => {
    const { work, sink, server } = await setup({ permissionWaitMinutes: 0, completions: true });
    const res = await post(server, '/v1/sessions', { workDir: work, prompt: 'hello mail' });
    const { id } = (await res.json()) as { id: string };
    const done = await until('the completion mail', () =>
      sink.mails.find((m) => /turn completed/.test(m.data)),
    );
    expect(done.data).toContain('You said: hello mail');
    await post(server, `/v1/sessions/${id}/send`, {
      text: script({ fail: { code: -32603, message: 'Internal error: the model exploded' } }),
    });
    const failed = await until('the failure mail', () => sink.mails.find((m) => /turn failed/.test(m.data)));
    expect(failed.data).toContain('exploded');
  });

  it('collects mails into one digest when digestMinutes is set', async () => {
    const { work, sink, server } = await setup({
      permissionWaitMinutes: 0,
      completions: true,
      digestMinutes: 0.03,
    });
    await post(server, '/v1/sessions', { workDir: work, prompt: 'one' });
    await post(server, '/v1/sessions', { workDir: work, prompt: 'two' });
    const digest = await until('the digest', () =>
      sink.mails.find((m) => /digest: 2 notifications/.test(m.data)),
    );
    expect(digest.data).toContain('You said: one');
    expect(digest.data).toContain('You said: two');
    expect(sink.mails).toHaveLength(1);
  });

  it('retries while the SMTP server refuses with 4xx, and reports it in GET /v1/channels', async () => {
    const { work, sink, server } = await setup(
      { permissionWaitMinutes: 0, completions: true },
      { reject: true },
    );
    await post(server, '/v1/sessions', { workDir: work, prompt: 'refused' });
    const channel = await until('the error', async () => {
      const { channels } = (await (await fetch(`${server.url}/v1/channels`)).json()) as {
        channels: { name: string; lastError: string | null; queueDepth: number; state: string }[];
      };
      const email = channels.find((c) => c.name === 'email');
      return email?.lastError ? email : undefined;
    });
    expect(channel).toMatchObject({ state: 'retrying', queueDepth: 1 });
    expect(channel.lastError).toMatch(/451/);
    expect(sink.mails).toHaveLength(0);
  });
});
