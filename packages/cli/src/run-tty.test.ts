// `ag run` in a real terminal: a pseudo-terminal from util-linux `script`, keys written to it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG_BIN, waitForText } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-tty-')));
let server: RunningServer;
let n = 0;

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
});
afterAll(() => server?.close());

/** `ag run <prompt> --cwd <dir>` on a terminal; `screen()` is everything it showed. */
function runOnTerminal(prompt: string, extra: string[] = []) {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  const child: ChildProcess = spawn(
    'script',
    [
      '-q',
      '-e',
      '-c',
      `"${process.execPath}" "${AG_BIN}" run "$AG_PROMPT" --cwd "$AG_DIR" ${extra.join(' ')}`,
      '/dev/null',
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: base,
        AEGIS_BASE_URL: server.url,
        AG_PROMPT: prompt,
        AG_DIR: dir,
        TERM: 'dumb',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let shown = '';
  child.stdout!.on('data', (d) => (shown += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = new Promise<number | null>((r) =>
    child.on('close', (c) => {
      clearTimeout(timer);
      r(c);
    }),
  );
  return { dir, code, screen: () => shown, type: (keys: string) => child.stdin!.write(keys) };
}

const writeFile = (sleepMs = 0) =>
  script(
    { say: 'Writing the file.' },
    ...(sleepMs ? [{ sleep: sleepMs }] : []),
    {
      tool: {
        title: 'Write out.txt',
        kind: 'edit',
        permission: true,
        write: { path: 'out.txt', content: 'ok' },
      },
    },
    { say: 'Finished.' },
  );

describe('ag run on a terminal', () => {
  it('Ctrl-C at the Allow? prompt exits 130 at once, writes nothing, and ends the turn', async () => {
    const t = runOnTerminal(writeFile());
    await waitForText(t.screen, 'Allow? [y/N]');
    t.type('\u0003');
    expect(await t.code).toBe(130);
    expect(existsSync(join(t.dir, 'out.txt'))).toBe(false);
    const [session] = (await server.aegis.sessions.list({ workDir: t.dir })).sessions;
    expect(session?.status).not.toBe('permission_prompt');
  });

  it('an Enter typed while the agent works does not answer the next prompt', async () => {
    const t = runOnTerminal(writeFile(1500));
    await waitForText(t.screen, 'Writing the file.');
    t.type('\r\ry\r');
    await waitForText(t.screen, 'Allow? [y/N]');
    // Still waiting: the keys typed before the question were dropped.
    await new Promise((r) => setTimeout(r, 300));
    expect(t.screen()).not.toMatch(/Allow\? \[y\/N\] (yes|no)/);
    t.type('y');
    expect(await t.code).toBe(0);
    expect(t.screen()).toContain('Allow? [y/N] yes');
    expect(existsSync(join(t.dir, 'out.txt'))).toBe(true);
  });

  it('a bare Enter at the prompt means no', async () => {
    const t = runOnTerminal(writeFile());
    await waitForText(t.screen, 'Allow? [y/N]');
    t.type('\r');
    expect(await t.code).toBe(0);
    expect(t.screen()).toContain('Allow? [y/N] no');
    expect(t.screen()).toContain('Finished.');
    expect(existsSync(join(t.dir, 'out.txt'))).toBe(false);
  });

  it('-y approves without asking, and Ctrl-C still interrupts the turn', async () => {
    const t = runOnTerminal(script({ say: 'Working.' }, { waitForCancel: true }), ['-y']);
    await waitForText(t.screen, 'Working.');
    t.type('\u0003');
    expect(await t.code).toBe(130);
    expect(t.screen()).toContain('Turn cancelled.');
  });
});
