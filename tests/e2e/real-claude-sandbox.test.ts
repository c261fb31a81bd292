/**
 * The sandbox tier with the REAL Claude Code adapter (issue 16): a session confined by bubblewrap
 * still does its work — writes a file, runs a command, the model answers through the egress proxy
 * — while its own Bash tool finds nothing of the host's HOME, the state dir or another session's
 * folder, and its environment holds no model key. Needs bubblewrap.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AegisClient } from '@aegis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, hideClaudeEnv, killAll, type RealStack, startRealStack, tempRoot } from './helpers.js';

const restoreEnv = hideClaudeEnv();
const root = tempRoot('sandbox');
const home = root.sub('home');
const work = root.sub('work');
let stack: RealStack;
let client: AegisClient;
const ids = new Set<string>();
/** A service on the host's loopback, and a host process with a mark to look for from inside. */
let hostService: Server;
const MARK = String(900_000 + Math.floor(Math.random() * 99_999));
const marked = spawn('sleep', [MARK], { stdio: 'ignore' });

beforeAll(async () => {
  stack = await startRealStack({ root, home, allowedWorkDirs: [work], apiKey: 'real-secret-key' });
  client = stack.client;
  hostService = createServer((_req, res) => res.end('HOST-LOOPBACK-SECRET'));
  await new Promise<void>((resolve) => hostService.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  try {
    if (client) await killAll(client, ids);
  } finally {
    marked.kill();
    hostService?.close();
    await stack?.close();
    root.remove();
    restoreEnv();
  }
});

async function turn(log: EventLog, id: string, text: string) {
  const from = log.events.length;
  await client.sendMessage(id, { text });
  const end = await log.waitForTurnEnd({ from, timeoutMs: 90_000 });
  await log.waitFor((e) => e.type === 'session.state_changed' && e.data.to === 'idle', {
    from,
    timeoutMs: 30_000,
  });
  const { entries } = await client.readSession(id);
  return { end, said: entries.filter((e) => e.role === 'assistant').at(-1)?.text ?? '' };
}

describe('real Claude Code in a sandbox', () => {
  it('works in its folder and sees nothing else of the host', async () => {
    const canary = join(home, '.ssh', 'id_ed25519');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(canary, 'HOST-SSH-KEY');
    const other = root.sub('work/other');
    writeFileSync(join(other, 'secret.txt'), 'OTHER-SESSION');
    const dir = root.sub('work/confined');
    const { session } = await client.createSession({
      workDir: dir,
      permissionMode: 'bypassPermissions',
      sandbox: {},
    });
    ids.add(session.id);
    expect(session.sandbox).toMatchObject({ network: 'model' });
    const log = new EventLog(client, session.id);
    try {
      // The normal workflow: a file written, a command run, the model reached through the proxy.
      const wrote = await turn(
        log,
        session.id,
        'create a file named hello.txt containing Hello from a sandbox',
      );
      expect(wrote.end.type).toBe('turn.completed');
      expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('Hello from a sandbox');
      const listed = await turn(log, session.id, 'run `cat hello.txt`');
      expect(listed.said).toContain('Hello from a sandbox');
      // What a compromised agent would try, through its own Bash tool.
      const key = await turn(log, session.id, `run \`cat ${canary}\``);
      expect(key.said).not.toContain('HOST-SSH-KEY');
      expect(key.said).toMatch(/No such file/);
      // Only the mount point of its own HOME shows under the state dir: no database, no keys.
      const state = await turn(log, session.id, `run \`ls -a ${join(root.dir, 'state')}\``);
      expect(state.said).not.toMatch(/aegis\.db|node-id|\.lock/);
      expect(existsSync(join(root.dir, 'state', 'aegis.db'))).toBe(true);
      const theirs = await turn(log, session.id, `run \`cat ${join(other, 'secret.txt')}\``);
      expect(theirs.said).not.toContain('OTHER-SESSION');
      const env = await turn(log, session.id, 'run `printenv ANTHROPIC_API_KEY`');
      expect(env.said).not.toContain('real-secret-key');
      expect(env.said).toContain('sandboxed');
      // A symlink planted in its own folder that points out of it leads nowhere.
      symlinkSync(canary, join(dir, 'key-link'));
      const link = await turn(log, session.id, 'run `cat key-link`');
      expect(link.said).not.toContain('HOST-SSH-KEY');
      // No network but the model: neither a loopback service of the host nor the server's own API.
      const hostPort = (hostService.address() as AddressInfo).port;
      const loop = await turn(log, session.id, `run \`curl -sS --max-time 5 http://127.0.0.1:${hostPort}/\``);
      expect(loop.said).not.toContain('HOST-LOOPBACK-SECRET');
      expect(loop.said).toMatch(/curl: \(7\)/); // could not connect: nothing listens there
      const self = await turn(log, session.id, `run \`curl -sS --max-time 5 ${stack.server.url}/v1/health\``);
      expect(self.said).not.toMatch(/"status"/);
      expect(self.said).toMatch(/curl: \(7\)/);
      // Any other host (here the cloud metadata address, where credentials live) only through the
      // egress proxy, which refuses what is not allowed — on record.
      const meta = await turn(
        log,
        session.id,
        'run `curl -sS --max-time 5 http://169.254.169.254/latest/meta-data/`',
      );
      expect(meta.end.type).toBe('turn.completed');
      // Other processes of the host are not there to list.
      const ps = await turn(log, session.id, 'run `ps -eo pid,args`');
      expect(ps.said).toMatch(/PID/);
      expect(ps.said).not.toContain(`sleep ${MARK}`);
      const outside = await turn(log, session.id, `run \`echo escaped > ${join(root.dir, 'escaped.txt')}\``);
      expect(outside.end.type).toBe('turn.completed');
      expect(existsSync(join(root.dir, 'escaped.txt'))).toBe(false);
      // Every connection out was audited: the model calls, allowed, through the proxy.
      const audit = await client.queryAudit({ action: 'sandbox.egress', limit: 500 });
      const mine = audit.records.filter((r) => r.target === session.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.some((r) => r.outcome === 'allowed' && r.details?.kind === 'model')).toBe(true);
      // curl honours the proxy variables: its attempt reached the proxy and was refused, on record.
      // (Loopback attempts never leave the sandbox's own network namespace, where nothing listens.)
      const refused = mine.filter((r) => r.outcome === 'refused');
      expect(refused.map((r) => String(r.details?.host))).toContain('169.254.169.254');
      expect(mine.every((r) => r.outcome === 'refused' || r.details?.kind === 'model')).toBe(true);
    } finally {
      await log.close();
    }
  });
});
