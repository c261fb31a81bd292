import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, SessionList, TranscriptEntry } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { freePort, script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag, startAg, waitForText } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-sessions-')));
let server: RunningServer;
let env: Record<string, string>;
let n = 0;

/** A fresh folder per session: an idle session in the same folder would be reused. */
const folder = () => {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
  env = { HOME: base, AEGIS_BASE_URL: server.url };
});
afterAll(() => server?.close());

const writeFile = (path: string) =>
  script(
    { say: 'Writing the file.' },
    { tool: { title: `Write ${path}`, kind: 'edit', permission: true, write: { path, content: 'ok' } } },
    { say: 'Finished.' },
  );

const json = <T>(text: string) => JSON.parse(text) as T;

/** Retries `check` until it stops throwing (or rethrows after 20 s). */
async function eventually(check: () => Promise<void> | void) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Any control character but newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const statusOf = async (id: string) => (await server.aegis.sessions.get(id)).status;

/** Ends the sessions a test started in `dir`: the local user may own only 10 live sessions. */
async function endSessionsIn(dir: string) {
  const { sessions } = await server.aegis.sessions.list({ workDir: dir }, { id: null, admin: true });
  for (const s of sessions) await fetch(`${server.url}/v1/sessions/${s.id}`, { method: 'DELETE' });
}

describe('session commands against a live server', () => {
  it('create --json starts a session in the folder', async () => {
    const dir = folder();
    const r = await ag(['create', '--work-dir', dir, '--name', 'first', '--json'], { env });
    expect(r.code).toBe(0);
    const { session, reused } = json<{ session: Session; reused: boolean }>(r.out);
    expect(reused).toBe(false);
    expect(session).toMatchObject({ workDir: dir, name: 'first', agent: 'scripted' });
    expect((await server.aegis.sessions.get(session.id)).status).toBe('idle');
  });

  it('list and logs show control characters from names and agent text escaped, never raw', async () => {
    const dir = folder();
    const name = 'evil\u001b]0;pwned\u0007\u001b[31mred\u009b2J';
    const r = await ag(
      [
        'create',
        '--cwd',
        dir,
        '--name',
        name,
        '--prompt',
        script({ say: 'hi\u001b[2Jthere\nnext' }),
        '--wait',
        '--json',
      ],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    const id = json<{ session: Session }>(r.out).session.id;
    expect((await server.aegis.sessions.get(id)).name).toBe(name);

    const list = await ag(['list'], { env });
    expect(list.code).toBe(0);
    expect(list.out).not.toMatch(RAW_CONTROL);
    expect(list.out).toContain('evil\\x1b]0;pwned\\x07\\x1b[31mred\\x9b2J');

    const logs = await ag(['logs', id], { env });
    expect(logs.code).toBe(0);
    expect(logs.out).not.toMatch(RAW_CONTROL);
    expect(logs.out).toContain('hi\\x1b[2Jthere\nnext');
    await endSessionsIn(dir);
  });

  it('create says on stderr when it reuses an idle session (with its turns); --new starts a fresh one', async () => {
    const dir = folder();
    const first = await ag(['create', '--cwd', dir, '--name', 'keeper', '--prompt', 'hello', '--wait'], {
      env,
    });
    expect(first.code).toBe(0);
    expect(first.err).not.toContain('Reusing');
    const id = (await server.aegis.sessions.list({ workDir: dir }, { id: null, admin: true })).sessions[0]!
      .id;

    const again = await ag(['create', '--cwd', dir, '--json'], { env });
    expect(again.code).toBe(0);
    expect(json<{ reused: boolean; session: Session }>(again.out)).toMatchObject({
      reused: true,
      session: { id },
    });
    expect(again.err).toContain(`Reusing session keeper (${id}) (1 turn); --new for a fresh one`);

    const fresh = await ag(['create', '--cwd', dir, '--new', '--json'], { env });
    expect(fresh.code).toBe(0);
    const made = json<{ reused: boolean; session: Session }>(fresh.out);
    expect(made.reused).toBe(false);
    expect(made.session.id).not.toBe(id);
    expect(fresh.err).not.toContain('Reusing');
    await endSessionsIn(dir);
  });

  it('run says it reuses an idle session in the folder; run --new starts a fresh one', async () => {
    const dir = folder();
    const say = (text: string) => script({ say: text });
    // --keep: by default a run ends the session it created, leaving nothing to reuse.
    const first = await ag(['run', say('one'), '--cwd', dir, '--keep'], { env });
    expect(first.code).toBe(0);
    expect(first.err).not.toContain('Reusing');
    const second = await ag(['run', say('two'), '--cwd', dir], { env });
    expect(second.code).toBe(0);
    expect(second.out).toContain('two');
    expect(second.err).toMatch(/Reusing session \S+ \(1 turn\); --new for a fresh one/);
    const third = await ag(['run', say('three'), '--cwd', dir, '--new', '--keep'], { env });
    expect(third.code).toBe(0);
    expect(third.err).not.toContain('Reusing');
    const { sessions } = await server.aegis.sessions.list({ workDir: dir }, { id: null, admin: true });
    expect(sessions.map((s) => s.turns).sort()).toEqual([1, 2]);
    await endSessionsIn(dir);
  });

  it('create --prompt --wait stops at a permission request; approve lets the write happen', async () => {
    const dir = folder();
    const created = await ag(['create', '--cwd', dir, '--prompt', writeFile('a.txt'), '--wait', '--json'], {
      env,
    });
    expect(created.code).toBe(0);
    const out = json<{ session: Session; waited: string; reply: string[] }>(created.out);
    expect(out.waited).toBe('needs_answer');
    expect(out.session.status).toBe('permission_prompt');
    expect(out.session.pendingPermission?.title).toBe('Write a.txt');
    expect(out.reply).toEqual(['Writing the file.']);

    const listed = await ag(['list', '--status', 'permission_prompt', '--json'], { env });
    expect(json<SessionList>(listed.out).sessions.map((s) => s.id)).toContain(out.session.id);

    const approved = await ag(['approve', out.session.id], { env });
    expect(approved.code).toBe(0);
    expect(approved.out).toContain(`Approved (allow_once) for session ${out.session.id}`);
    await eventually(async () => expect(await statusOf(out.session.id)).toBe('idle'));
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('ok');
  });

  it('reject refuses the request: nothing is written', async () => {
    const dir = folder();
    const created = await ag(['create', '--cwd', dir, '--prompt', writeFile('b.txt'), '--wait', '--json'], {
      env,
    });
    const { session } = json<{ session: Session }>(created.out);
    const rejected = await ag(['reject', session.id, '--json'], { env });
    expect(rejected.code).toBe(0);
    expect(json<{ optionKind: string }>(rejected.out).optionKind).toMatch(/^reject/);
    await eventually(async () => expect(await statusOf(session.id)).toBe('idle'));
    const logs = await ag(['logs', session.id], { env });
    expect(logs.out).toContain('? Write b.txt → rejected');
    expect(logs.out).toContain('Finished.');
    expect(existsSync(join(dir, 'b.txt'))).toBe(false);
  });

  it('send --wait prints the reply; logs prints the transcript (and --json gives it as data)', async () => {
    const dir = folder();
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', dir, '--json'], { env })).out,
    );
    const sent = await ag(['send', session.id, script({ say: 'Hello from the agent.' }), '--wait'], { env });
    expect(sent.code).toBe(0);
    expect(sent.out).toContain('Hello from the agent.');
    expect(sent.out).toContain(`Session ${session.id} is idle`);

    const logs = await ag(['logs', session.id], { env });
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(/^> script:.*\nHello from the agent\.\n/m);

    const data = await ag(['logs', session.id, '--json'], { env });
    const { status, entries } = json<{ status: string; entries: TranscriptEntry[] }>(data.out);
    expect(status).toBe('idle');
    expect(entries.filter((e) => e.role === 'assistant').map((e) => e.text)).toEqual([
      'Hello from the agent.',
    ]);
  });

  it('send without --wait reports the delivery; text after the id is one prompt', async () => {
    const dir = folder();
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', dir, '--json'], { env })).out,
    );
    const r = await ag(['send', session.id, 'several', 'words', 'here', '--json'], { env });
    expect(r.code).toBe(0);
    const sent = json<{ promptDelivery: { delivered: boolean; queued: boolean } }>(r.out);
    expect(sent.promptDelivery.delivered || sent.promptDelivery.queued).toBe(true);
    await eventually(async () => {
      const { entries } = await server.aegis.sessions.read(session.id, {});
      expect(entries.find((e) => e.role === 'user')?.text).toBe('several words here');
    });
  });

  it('logs -f streams live activity until the session ends', async () => {
    const dir = folder();
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', dir, '--json'], { env })).out,
    );
    const follower = startAg(['logs', session.id, '-f'], { env });
    let out = '';
    follower.stdout?.on('data', (d) => (out += d));
    await ag(['send', session.id, script({ say: 'Live line one.' }, { say: 'Live line two.' })], { env });
    await waitForText(() => out, 'Live line two.');
    const killed = await ag(['kill', session.id, '--json'], { env });
    expect(json<Session>(killed.out).status).toBe('killed');
    const r = await follower.result;
    expect(r.code).toBe(0);
    expect(r.out).toContain('Live line one.');
    expect(r.out).toMatch(/Session ended: killed/);
  });

  it('logs -f and logs print the same line for each tool', async () => {
    const dir = folder();
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', dir, '--json'], { env })).out,
    );
    const follower = startAg(['logs', session.id, '-f'], { env });
    let out = '';
    follower.stdout?.on('data', (d) => (out += d));
    await ag(
      [
        'send',
        session.id,
        script(
          { tool: { title: 'Read a.txt', kind: 'read' } },
          { tool: { title: 'Run make', kind: 'execute', result: 'failed' } },
          { say: 'Tools done.' },
        ),
      ],
      { env },
    );
    await waitForText(() => out, 'Tools done.');
    await ag(['kill', session.id], { env });
    const live = await follower.result;
    const after = await ag(['logs', session.id], { env });
    const tools = (text: string) => text.split('\n').filter((l) => /^[✔✖] /.test(l));
    expect(tools(after.out)).toEqual(['✔ Read a.txt', '✖ Run make (failed)']);
    expect(tools(live.out)).toEqual(tools(after.out));
  });

  it('list shows the most recently active session first', async () => {
    const older = folder();
    const newer = folder();
    const first = json<{ session: Session }>((await ag(['create', '--cwd', older, '--json'], { env })).out);
    const second = json<{ session: Session }>((await ag(['create', '--cwd', newer, '--json'], { env })).out);
    // The first-created session is the one with the newest activity.
    await ag(['send', first.session.id, script({ say: 'Active again.' }), '--wait'], { env });
    const r = await ag(['list'], { env });
    expect(r.code).toBe(0);
    const at = (id: string) => r.out.indexOf(id);
    expect(at(first.session.id)).toBeGreaterThan(-1);
    expect(at(first.session.id)).toBeLessThan(at(second.session.id));
    await endSessionsIn(older);
    await endSessionsIn(newer);
  });

  it('logs -f on a finished session prints the transcript and returns', async () => {
    const dir = folder();
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', dir, '--json'], { env })).out,
    );
    await ag(['kill', session.id], { env });
    const r = await ag(['logs', session.id, '-f'], { env });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Session ${session.id} has ended (killed).`);
  });
});

describe('admin commands take the same connection flags', () => {
  it('bare `ag audit --url … --json` lists records; `ag keys list --port …` lists keys', async () => {
    await ag(['create', '--cwd', folder()], { env });
    const noEnv = { HOME: base };
    const audit = await ag(['audit', '--url', server.url, '--action', 'createSession', '--json'], {
      env: noEnv,
    });
    expect(audit.code).toBe(0);
    const { records } = json<{ records: { action: string }[] }>(audit.out);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.action === 'createSession')).toBe(true);
    const keys = await ag(['keys', 'list', '--port', String(server.port), '--json'], { env: noEnv });
    expect(keys.code).toBe(0);
    expect(json<{ keys: unknown[] }>(keys.out).keys).toEqual([]);
  });
});

describe('errors', () => {
  it('an unknown session: one line with the code, a hint, exit 1', async () => {
    const r = await ag(['approve', 'no-such-session'], { env });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^✖ SESSION_NOT_FOUND: .*no-such-session.*\(hint: list sessions with `ag list`\)$/,
    );
  });

  it('approve with nothing pending says NOTHING_PENDING', async () => {
    const { session } = json<{ session: Session }>(
      (await ag(['create', '--cwd', folder(), '--json'], { env })).out,
    );
    const r = await ag(['approve', session.id, '--json'], { env });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^✖ NOTHING_PENDING: /);
  });

  it('a folder outside the allowed directories is refused with the reason', async () => {
    const r = await ag(['create', '--cwd', '/'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✖ WORKDIR_DENIED: .*outside the allowed directories/);
  });

  it('no server: says so and suggests ag serve', async () => {
    const port = await freePort();
    const r = await ag(['list'], { env: { HOME: base, AEGIS_BASE_URL: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `✖ No Aegis server answers at http://127.0.0.1:${port} (ECONNREFUSED). Start one with \`ag serve\`, or point AEGIS_BASE_URL / --url at a running server.`,
    );
  });

  it('a connection cut before the answer: says a change may have been applied (not "no server")', async () => {
    // Takes each request, then drops the connection without answering: a server that died mid-request.
    const seen: string[] = [];
    const cutter = createServer((socket) =>
      socket.once('data', (chunk: Buffer) => {
        seen.push(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      }),
    );
    await new Promise<void>((r) => cutter.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(cutter.address() as { port: number }).port}`;
    try {
      const cutEnv = { HOME: base, AEGIS_BASE_URL: url };
      const send = await ag(['send', 'sess_x', 'hello'], { env: cutEnv });
      expect(send.code).toBe(1);
      expect(send.err.trim()).toMatch(
        new RegExp(
          `^✖ The connection to the Aegis server at ${url} broke before it answered \\((UND_ERR_SOCKET|ECONNRESET)\\)\\. It may have been applied: check with \`ag list\` or \`ag logs <session>\` before repeating it\\.$`,
        ),
      );
      const list = await ag(['list', '--json'], { env: cutEnv });
      expect(list.code).toBe(1);
      expect(list.err).toMatch(/broke before it answered .*Run the command again once the server is back/);
      expect(seen).toEqual(['POST /v1/sessions/sess_x/send HTTP/1.1', 'GET /v1/sessions?limit=50 HTTP/1.1']);
    } finally {
      await new Promise<void>((r) => cutter.close(() => r()));
    }
  });

  it('an invalid config file names the file and the field', async () => {
    const dir = folder();
    mkdirSync(join(dir, '.aegis'));
    writeFileSync(join(dir, '.aegis', 'config.yaml'), 'client:\n  baseUrl: 42\n');
    const r = await ag(['list'], { env: { HOME: base }, cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Config file ${join(dir, '.aegis', 'config.yaml')}: field client.baseUrl`);
  });
});
