import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  CLI_BIN,
  freePort,
  gapProblem,
  ROOT,
  type ServerProcess,
  startServerProcess,
  tempDir,
  waitForStatus,
} from './harness.js';

/** Runs `ag …` to its end with the given environment; resolves with its exit code and output. */
function runAg(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

const say = (text: string) => script({ say: text });

describe('one server per state dir', () => {
  const root = tempDir('lock');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  it('a second `ag serve` on the same state dir refuses (exit ≠ 0, names the first), and the first keeps every session and transcript', async () => {
    const stateDir = root.sub('state-two');
    const work = root.sub('work-two');
    const first = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(first);
    const c = first.client;
    const { session } = await c.createSession({ workDir: work, prompt: say('first answer') });
    await waitForStatus(c, session.id, ['idle'], 20_000);

    const port = await freePort();
    const second = await runAg(['serve'], {
      AEGIS_PORT: String(port),
      AEGIS_HOST: '127.0.0.1',
      AEGIS_STATE_DIR: stateDir,
      AEGIS_ALLOWED_WORKDIRS: work,
      AEGIS_ACP_BIN: AGENT_BIN,
    });
    expect(second.code).not.toBe(0);
    expect(second.err).toContain(`State dir ${stateDir} is in use by another Aegis server`);
    expect(second.err).toContain(`pid ${first.pid} at ${first.url}`);
    expect(second.err).toContain(`--url ${first.url}`);
    expect(second.err).toContain('AEGIS_STATE_DIR');
    // It never listened.
    await expect(fetch(`http://127.0.0.1:${port}/v1/health`)).rejects.toThrow();

    // The first server's session was not touched: still idle (not crashed/completed), and it takes
    // another turn whose events are stored after the first ones, gap-free.
    expect((await c.getSession(session.id)).status).toBe('idle');
    await c.sendMessage(session.id, { text: say('second answer') });
    await waitForStatus(c, session.id, ['idle'], 20_000);
    const page = await c.getTranscriptPage(session.id, { limit: 200 });
    const texts = page.messages.map((m) => `${m.role}:${m.text}`);
    expect(texts.filter((t) => t.startsWith('user:'))).toHaveLength(2);
    expect(texts).toContain('assistant:first answer');
    expect(texts).toContain('assistant:second answer');
    expect(first.output()).not.toMatch(/UNIQUE constraint|nothing of it was written/);

    // The SQLite file itself: the session is live there, its events numbered 1..n without a gap.
    await first.stop();
    const db = new Database(join(stateDir, 'aegis.db'), { readonly: true });
    try {
      const seqs = db
        .prepare('SELECT seq FROM events WHERE session_id = ? ORDER BY seq')
        .all(session.id)
        .map((r) => (r as { seq: number }).seq);
      expect(seqs.length).toBeGreaterThan(4);
      expect(gapProblem(seqs, 1)).toBeNull();
      const types = db
        .prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq')
        .all(session.id)
        .map((r) => (r as { type: string }).type);
      expect(types).not.toContain('session.ended');
    } finally {
      db.close();
    }
  });

  it('a lock left by a SIGKILLed server (dead pid) is taken over, and the next server says so', async () => {
    const stateDir = root.sub('state-stale');
    const work = root.sub('work-stale');
    const first = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(first);
    first.child.kill('SIGKILL');
    await first.exited;
    const next = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(next);
    expect(next.output()).toContain('took over the state dir lock of a server that is gone');
    expect(next.output()).toContain(`pid ${first.pid} is not running`);
    expect((await next.client.getHealth()).status).toBe('ok');
  });

  it('`ag run` on another port uses the server that holds the state dir instead of starting a second one', async () => {
    const stateDir = root.sub('state-run');
    const work = root.sub('work-run');
    const running = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(running);
    const otherPort = await freePort();
    const r = await runAg(
      ['run', say('ran on the running server'), '--cwd', work, '--port', String(otherPort)],
      {
        AEGIS_STATE_DIR: stateDir,
        AEGIS_ALLOWED_WORKDIRS: work,
        AEGIS_ACP_BIN: AGENT_BIN,
      },
    );
    const said = r.out + r.err;
    expect(said).toContain(`Using the Aegis server at ${running.url} (pid ${running.pid})`);
    expect(said).not.toContain('Started a local Aegis server');
    expect(r.out).toContain('ran on the running server');
    expect(r.code).toBe(0);
    const { sessions } = await running.client.listSessions();
    expect(sessions.map((s) => s.workDir)).toContain(work);
  });
});
