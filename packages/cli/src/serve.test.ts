import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ag, startAg, waitForText } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-serve-')));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A project folder whose .aegis/config.yaml sets the port and state dir. */
function project(name: string, port: number) {
  const dir = join(base, name);
  mkdirSync(join(dir, '.aegis'), { recursive: true });
  writeFileSync(
    join(dir, '.aegis', 'config.yaml'),
    `server:\n  port: ${port}\n  stateDir: ${join(dir, 'state')}\n  logLevel: warn\n`,
  );
  return dir;
}

/** Starts `ag serve`, waits for its "listening" line, returns the URL it printed, then stops it. */
async function serveAndStop(cwd: string, args: string[], env: Record<string, string> = {}) {
  const child = startAg(['serve', ...args], { cwd, env: { HOME: base, ...env } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  try {
    await waitForText(() => out, /listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
    const health = (await (await fetch(`${url}/v1/health`)).json()) as { status: string };
    return { url, out, health };
  } finally {
    child.kill('SIGTERM');
    await child.result;
  }
}

describe('ag serve reads the same config as every command', () => {
  it('takes the port and state dir from ./.aegis/config.yaml and says which file it used', async () => {
    const port = await freePort();
    const dir = project('file', port);
    const r = await serveAndStop(dir, []);
    expect(r.url).toBe(`http://127.0.0.1:${port}`);
    expect(r.health.status).toBe('ok');
    expect(r.out).toContain(`Using config ${join(dir, '.aegis', 'config.yaml')}`);
  });

  it('AEGIS_PORT beats the file, and --port beats AEGIS_PORT', async () => {
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    const dir = project('env', filePort);
    expect((await serveAndStop(dir, [], { AEGIS_PORT: String(envPort) })).url).toBe(
      `http://127.0.0.1:${envPort}`,
    );
    expect((await serveAndStop(dir, ['--port', String(flagPort)], { AEGIS_PORT: String(envPort) })).url).toBe(
      `http://127.0.0.1:${flagPort}`,
    );
  });

  it('--config points at another file', async () => {
    const port = await freePort();
    const dir = project('explicit', 1);
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `server:\n  port: ${port}\n  stateDir: ${join(dir, 'state2')}\n`);
    expect((await serveAndStop(dir, ['--config', other])).url).toBe(`http://127.0.0.1:${port}`);
  });

  it('an invalid config file stops it with one line naming the file and field', async () => {
    const dir = join(base, 'invalid');
    mkdirSync(join(dir, '.aegis'), { recursive: true });
    writeFileSync(join(dir, '.aegis', 'config.yaml'), 'server:\n  port: "not a port"\n');
    const r = await ag(['serve'], { cwd: dir, env: { HOME: base } });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^✖ Config file .*invalid\/\.aegis\/config\.yaml: field server\.port: /);
  });
});
