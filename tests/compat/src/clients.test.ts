// The client snippets of the documents: the TypeScript class and the Python SDK, as written there
// (package and module names aside: docs/compatibility.md).
import { spawn } from 'node:child_process';
import { AegisClient } from '@aegis/client';
import type { RunningServer } from '@aegis/server';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScripted, until, workspace } from './harness.js';

const ws = workspace('clients');
const TOKEN = 'compat-clients-token-0123';
let server: RunningServer;
beforeAll(async () => {
  server = await startScripted(ws.base, { authToken: TOKEN });
});
afterAll(() => server?.close());

describe('TypeScript (README, getting started)', () => {
  it('new AegisClient(url, token); listSessions; const { id } = createSession; sendMessage(id, text); approvePermission(id)', async () => {
    const client = new AegisClient(server.url, TOKEN);
    const sessions = await client.listSessions();
    expect(Array.isArray(sessions.sessions)).toBe(true);
    const { id } = await client.createSession({ workDir: ws.folder() });
    expect(typeof id).toBe('string');
    const sent = await client.sendMessage(
      id,
      script({
        tool: {
          title: 'Write a.txt',
          kind: 'edit',
          permission: true,
          write: { path: 'a.txt', content: 'x' },
        },
      }),
    );
    expect(sent.promptDelivery).toBeDefined();
    await until(
      () => client.getSession(id),
      (s) => s.status === 'permission_prompt',
    );
    const approved = await client.approvePermission(id);
    expect(approved.optionKind).toMatch(/^allow/);
  });
});

describe('Python SDK (README, getting started)', () => {
  it('AegisClient(base_url=…, auth_token=…), list_sessions, create_session(work_dir=…, prompt=…), send_message(id, "…")', async () => {
    const code = `
import json, sys
from aegis_python_client import AegisClient
client = AegisClient(base_url=sys.argv[1], auth_token=sys.argv[2])
sessions = client.list_sessions()
session = client.create_session(work_dir=sys.argv[3], prompt="Hello!")
client.send_message(session["id"], "Fix the tests")
client.send_message(sessions["sessions"][0]["id"] if sessions["sessions"] else session["id"], "Continue the task")
print(json.dumps({"id": session["id"], "nested": session["session"]["id"]}))
`;
    // Async: the server answers from this process.
    const child = spawn('python3', ['-c', code, server.url, TOKEN, ws.folder()], {
      env: {
        PATH: process.env.PATH,
        PYTHONPATH: new URL('../../../packages/python-client', import.meta.url).pathname,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const r = { status, stdout, stderr };
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; nested: string };
    expect(out.id).toBe(out.nested);
  });
});
