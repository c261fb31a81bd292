// Which reporter `ag` writes through: icons and colours for a person at a terminal, plain
// `[type] message` lines for pipes (services, MCP hosts, scripts), which never load the fancy one.
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AG_BIN, ag } from './__fixtures__/ag.js';

const home = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-log-')));
// No CI or test markers: consola itself falls back to its basic reporter under them.
const env = { HOME: home, TERM: 'dumb' };
const NOT_SIGNED_IN = 'Not signed in to http://127.0.0.1:9; nothing to forget.';

/** `ag logout` on a pseudo-terminal (util-linux `script`): everything it showed. */
function logoutOnTerminal(): Promise<{ code: number | null; shown: string }> {
  const child = spawn(
    'script',
    ['-q', '-e', '-c', `"${process.execPath}" "${AG_BIN}" logout --url http://127.0.0.1:9`, '/dev/null'],
    {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let shown = '';
  child.stdout.on('data', (d) => (shown += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, shown });
    }),
  );
}

describe('ag output', () => {
  it('through pipes: plain "[info] …" lines', async () => {
    const r = await ag(['logout', '--url', 'http://127.0.0.1:9'], { env });
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(`[info] ${NOT_SIGNED_IN}`);
  });

  it('on a terminal: the icon line a person reads', async () => {
    const r = await logoutOnTerminal();
    expect(r.code).toBe(0);
    expect(r.shown).toContain(`ℹ ${NOT_SIGNED_IN}`);
    expect(r.shown).not.toContain('[info]');
  });
});
