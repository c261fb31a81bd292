// Runs the example for real: the built CLI as a child process and `runTask` in-process, each with
// the scripted ACP agent from @aegis/testkit standing in for Claude Code, and a SQLite file on disk.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '@aegis/core/sqlite';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runTask } from './embed.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-embed-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  return dir;
}

function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm build\` first.`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: tmp,
      env: { ...process.env, AEGIS_ACP_BIN: `${process.execPath} ${SCRIPTED_AGENT_BIN}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const WRITE_HELLO = script(
  { say: 'I will write hello.txt.' },
  {
    tool: {
      title: 'Write hello.txt',
      kind: 'edit',
      permission: true,
      write: { path: 'hello.txt', content: 'Hello from an embedded Aegis.\n' },
    },
  },
  { say: 'Done: hello.txt is written.' },
);

describe('examples/embed-core', { timeout: 60_000 }, () => {
  it('the CLI streams events, approves the edit, and keeps the transcript in the SQLite file', async () => {
    const work = folder('cli');
    const db = join(tmp, 'cli.db');
    const r = await runMain(['--work-dir', work, '--db', db, WRITE_HELLO]);
    expect(r.code, r.stderr).toBe(0);

    // The agent's tool call wrote the file, after the approval.
    expect(readFileSync(join(work, 'hello.txt'), 'utf8')).toBe('Hello from an embedded Aegis.\n');
    const lines = r.stdout.split('\n');
    const asked = lines.findIndex((l) => l.includes('permission asked: Write hello.txt (edit)'));
    const answered = lines.findIndex((l) => l.includes('permission answered: allow_once'));
    const toolDone = lines.findIndex((l) => l.includes('tool completed: Write hello.txt'));
    expect(asked).toBeGreaterThan(-1);
    expect(answered).toBeGreaterThan(asked);
    expect(toolDone).toBeGreaterThan(answered);
    expect(r.stdout).toContain('assistant: Done: hello.txt is written.');
    expect(r.stdout).toContain(`everything is stored in ${db}`);

    // A fresh connection to the file sees the session, its events and its transcript.
    const sessionId = /session (\S+) created/.exec(r.stdout)?.[1];
    expect(sessionId).toBeDefined();
    const store = createSqliteStore({ path: db });
    try {
      const transcript = await store.listTranscript({ sessionId: sessionId!, after: 0, limit: 100 });
      expect(transcript.map((e) => e.role)).toEqual(
        expect.arrayContaining(['user', 'assistant', 'permission', 'tool']),
      );
      expect(transcript.map((e) => e.text)).toEqual(
        expect.arrayContaining(['I will write hello.txt.', 'Done: hello.txt is written.']),
      );
      const events = await store.listEvents({ sessionId: sessionId!, after: 0, limit: 1000 });
      const resolved = events.find((e) => e.type === 'permission.resolved');
      expect(resolved?.data).toMatchObject({ optionKind: 'allow_once', decidedBy: { type: 'human' } });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    } finally {
      await store.close();
    }
  });

  it('runTask with the agent as a driver option refuses a command and nothing runs', async () => {
    const work = folder('api');
    const seen: string[] = [];
    const result = await runTask({
      workDir: work,
      dbPath: join(tmp, 'api.db'),
      agent: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] },
      prompt: script({
        tool: {
          title: 'Run rm -rf',
          kind: 'execute',
          permission: true,
          write: { path: 'ran.txt', content: 'should not exist' },
        },
      }),
      onEvent: (e) => seen.push(e.type),
    });
    expect(result.outcome).toBe('turn.completed');
    expect(result.decisions).toEqual([{ title: 'Run rm -rf', kind: 'execute', approved: false }]);
    expect(existsSync(join(work, 'ran.txt'))).toBe(false);
    expect(seen.indexOf('permission.requested')).toBeLessThan(seen.indexOf('permission.resolved'));
    expect(seen[0]).toBe('session.created');
    const permission = result.transcript.find((e) => e.role === 'permission');
    expect(permission?.text).toContain('Run rm -rf');
  });

  it('a missing work folder is a clear error, not a crash', async () => {
    const r = await runMain(['--work-dir', join(tmp, 'nope'), '--db', join(tmp, 'err.db'), 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error WORKDIR_DENIED: workDir .*nope is not an existing folder; create it first\./,
    );
  });
});
