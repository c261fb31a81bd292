/**
 * The fast end-to-end tier: a real Aegis server on port 0 with the scripted ACP agent as a real child
 * process, driven through `@aegis/client` (and plain `fetch` where the point is malformed HTTP).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AegisClient } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiError, EventLog, eventually, killAll, processesIn, tempRoot } from './helpers.js';

const root = tempRoot('http');
const work = root.sub('work');
const outside = root.sub('outside');
let server: RunningServer;
let client: AegisClient;
const sessionIds = new Set<string>();
const logs: EventLog[] = [];

let dirCount = 0;
const workDir = (name: string) => root.sub(`work/${++dirCount}-${name}`);

async function create(body: Parameters<AegisClient['createSession']>[0]) {
  const res = await client.createSession(body);
  sessionIds.add(res.session.id);
  return res;
}

function follow(id: string): EventLog {
  const log = new EventLog(client, id);
  logs.push(log);
  return log;
}

/** A raw request, for what the typed client cannot (or would not) send. */
async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

const postJson = (path: string, body: string) =>
  raw(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

beforeAll(async () => {
  server = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: root.sub('state'),
      allowedWorkDirs: [work],
      agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
      defaultAgent: 'scripted',
      logLevel: 'warn',
    },
  });
  client = new AegisClient({ baseUrl: server.url });
});

afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
});

afterAll(async () => {
  try {
    if (client) await killAll(client, sessionIds);
  } finally {
    await server?.close();
    root.remove();
  }
});

describe('bad input gets a clear 4xx in the error envelope', () => {
  it('rejects a create without workDir (400 VALIDATION_FAILED)', async () => {
    const res = await postJson('/v1/sessions', JSON.stringify({ prompt: 'hi' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('workDir') },
    });
  });

  it('rejects a workDir that does not exist (400 WORKDIR_DENIED)', async () => {
    const err = await apiError(() => client.createSession({ workDir: join(work, 'missing') }));
    expect([err.status, err.code]).toEqual([400, 'WORKDIR_DENIED']);
    expect(err.message).toMatch(/does not exist.*create the directory/);
  });

  it('rejects a workDir outside the allowed directories', async () => {
    const err = await apiError(() => client.createSession({ workDir: outside }));
    expect([err.status, err.code]).toEqual([400, 'WORKDIR_DENIED']);
    expect(err.message).toContain(`workDir ${outside} is outside the allowed directories (${work})`);
    expect(err.message).toContain('allowedWorkDirs');
  });

  it('rejects a symlink inside the allowed directory that points outside it', async () => {
    const link = join(work, 'escape');
    symlinkSync(outside, link);
    const err = await apiError(() => client.createSession({ workDir: link }));
    expect([err.status, err.code]).toEqual([400, 'WORKDIR_DENIED']);
    expect(err.message).toContain(`workDir ${outside} is outside the allowed directories`);
  });

  it('rejects a relative workDir', async () => {
    const err = await apiError(() => client.createSession({ workDir: 'work/relative' }));
    expect([err.status, err.code]).toEqual([400, 'WORKDIR_DENIED']);
  });

  it('rejects a malformed JSON body (400 BAD_REQUEST)', async () => {
    const res = await postJson('/v1/sessions', '{"workDir": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "BAD_REQUEST",
          "message": "Request body is not valid JSON; send a JSON object with Content-Type: application/json.",
        },
      }
    `);
  });

  it('rejects a JSON body that is not an object (400 VALIDATION_FAILED)', async () => {
    const res = await postJson('/v1/sessions', '[]');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('rejects a body sent without Content-Type: application/json (400)', async () => {
    const res = await raw('/v1/sessions', { method: 'POST', body: JSON.stringify({ workDir: work }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "BAD_REQUEST",
          "message": "Request body must be JSON; send it with Content-Type: application/json.",
        },
      }
    `);
  });

  it('answers 404 SESSION_NOT_FOUND for an unknown session id', async () => {
    const err = await apiError(() => client.getSession('00000000-0000-0000-0000-000000000000'));
    expect([err.status, err.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    expect(err.message).toContain('GET /v1/sessions');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['page=0', 'page'],
    ['status=bogus', 'status'],
  ])('rejects the list query %s (400 VALIDATION_FAILED)', async (query, field) => {
    const res = await raw(`/v1/sessions?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(field) },
    });
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const res = await raw('/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "NOT_FOUND",
          "message": "No route for GET /v1/nope; see /v1/openapi.json.",
        },
      }
    `);
  });

  it('rejects a Last-Event-ID that is not a number (400)', async () => {
    const { session } = await create({ workDir: workDir('last-event-id') });
    const res = await raw(`/v1/sessions/${session.id}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': 'garbage' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "VALIDATION_FAILED",
          "message": "Last-Event-ID must be a non-negative integer; got "garbage".",
        },
      }
    `);
  });
});

describe('session state conflicts', () => {
  it('answers 409 NOTHING_PENDING to an approve when no permission request waits', async () => {
    const { session } = await create({ workDir: workDir('nothing-pending') });
    expect(session.status).toBe('idle');
    const err = await apiError(() => client.approvePermission(session.id));
    expect([err.status, err.code]).toEqual([409, 'NOTHING_PENDING']);
    expect(err.message).toContain('permission_prompt');
  });

  it('answers 409 SESSION_TERMINATED to a send to a killed session', async () => {
    const { session } = await create({ workDir: workDir('killed') });
    const killed = await client.killSession(session.id);
    expect(killed.status).toBe('killed');
    const err = await apiError(() => client.sendMessage(session.id, { text: 'anyone there?' }));
    expect([err.status, err.code]).toEqual([409, 'SESSION_TERMINATED']);
  });
});

describe('sessions through the scripted agent', () => {
  it('queues a prompt sent while a turn runs and delivers it in order', async () => {
    const { session } = await create({
      workDir: workDir('queue'),
      prompt: script({ sleep: 800 }, { say: 'first done' }),
    });
    const log = follow(session.id);
    await log.waitForType('turn.started');

    const sent = await client.sendMessage(session.id, { text: 'second' });
    expect(sent.promptDelivery).toMatchObject({ delivered: false, queued: true, position: 1 });
    expect(sent.session.queuedPrompts).toBe(1);

    const firstEnd = await log.waitForTurnEnd();
    await log.waitForTurnEnd({ from: log.events.indexOf(firstEnd) + 1 });
    const { entries } = await client.readSession(session.id);
    const said = entries.filter((e) => e.role === 'user' || e.role === 'assistant').map((e) => e.text);
    expect(said).toEqual([expect.stringMatching(/^script:/), 'first done', 'second', 'You said: second']);
  });

  it('reports a crashed agent with its exit code and the tail of its stderr', async () => {
    const { session } = await create({
      workDir: workDir('crash'),
      prompt: script({ say: 'about to fall over' }, { crash: 7, stderr: 'fatal: scripted crash' }),
    });
    const log = follow(session.id);
    const ended = await log.waitForType('session.ended');
    expect(ended.data).toMatchObject({ status: 'crashed', exit: { exitCode: 7 } });
    const after = await client.getSession(session.id);
    expect(after.status).toBe('crashed');
    expect(after.exit?.exitCode).toBe(7);
    expect(after.exit?.stderrTail).toContain('fatal: scripted crash');
  });

  it('lists sessions filtered by status', async () => {
    const { session } = await create({ workDir: workDir('listed') });
    const { sessions } = await client.listSessions({ status: 'idle', limit: 100 });
    expect(sessions.map((s) => s.id)).toContain(session.id);
    expect(sessions.every((s) => s.status === 'idle')).toBe(true);
  });
});

describe('HTTP plumbing', () => {
  it('serves the OpenAPI document', async () => {
    const res = await raw('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Aegis API');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/sessions', '/v1/sessions/{id}/events', '/v1/sessions/{id}/approve']),
    );
  });

  it('puts an x-request-id on every response and echoes a given one', async () => {
    const ok = await raw('/v1/health');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await raw('/v1/sessions/nope');
    expect(failed.status).toBe(404);
    expect(failed.headers.get('x-request-id')).toBeTruthy();
    const echoed = await raw('/v1/health', { headers: { 'x-request-id': 'e2e-trace-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('e2e-trace-1');
  });
});

describe('shutdown', () => {
  it('closing the server stops every agent process', async () => {
    await create({ workDir: workDir('left-running') });
    expect(processesIn(work).length).toBeGreaterThan(0);
    await server.close();
    sessionIds.clear(); // nothing left to kill through the API
    expect(await eventually(() => processesIn(work).length === 0, 10_000)).toBe(true);
  });
});
