import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, OPENAPI_INFO } from '../app.js';
import { PROTOCOL_VERSION } from '../routes/server-info.js';
import { ACTION_OPERATIONS, allowedActions, isAllowed, PERMISSIONS } from './permissions.js';

type Doc = { paths: Record<string, Record<string, { operationId?: string }>> };
const committed = JSON.parse(
  readFileSync(join(fileURLToPath(import.meta.url), '../../../../../openapi.json'), 'utf8'),
) as Doc;

const root = mkdtempSync(join(tmpdir(), 'aegis-permissions-'));
const dashboardDir = join(root, 'dashboard');
mkdirSync(dashboardDir);
writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Aegis</title>');

const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const aegis = createAegis({ agent: driver, store: createMemoryStore() });
const app = createApp({
  aegis,
  agents: driver.agents,
  dashboardDir,
  security: { limits: { authFailuresPerMinute: 1e6, requestsPerMinute: 1e6 } },
});
afterAll(async () => {
  await aegis.close();
  rmSync(root, { recursive: true, force: true });
});

interface Operation {
  operationId: string;
  method: string;
  path: string;
}
function operationsOf(doc: Doc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.operationId)
      .map(([method, op]) => ({ operationId: op.operationId as string, method: method.toUpperCase(), path })),
  );
}
// The committed document and the live app: a route added but not yet generated is walked too.
const live = app.getOpenAPI31Document(OPENAPI_INFO) as unknown as Doc;
const byId = new Map<string, Operation>();
for (const op of [...operationsOf(committed), ...operationsOf(live)]) byId.set(op.operationId, op);
const operations = [...byId.values()].sort((a, b) => a.operationId.localeCompare(b.operationId));

type Role = 'admin' | 'operator' | 'viewer';
type Who = Role | 'none' | 'wrong';
const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];
const secrets = {} as Record<Role, string>;
const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });
const headersOf = (who: Who): Record<string, string> =>
  who === 'none' ? {} : who === 'wrong' ? auth('aegis_not-a-real-key') : auth(secrets[who]);

/** Resources the walk reads: a live session owned by the operator key, a template, a memory entry. */
const fx = { session: '', template: '', memoryKey: 'perm-memory' };
const TEMPLATE_NAME = 'perm-template';
let dirs = 0;
/** A new directory per create, so no request reuses an idle session (that would answer 200, not 201). */
const freshDir = () => {
  const dir = join(root, `work-${++dirs}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  // Zero-config: the first key is created without credentials; after that, keys are required.
  for (const role of ROLES) {
    const res = await app.request('/v1/auth/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secrets.admin ? auth(secrets.admin) : {}) },
      body: JSON.stringify({ name: role, role }),
    });
    expect(res.status).toBe(201);
    secrets[role] = ((await res.json()) as { secret: string }).secret;
  }
  const as = (role: Role, method: string, path: string, body: unknown) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...auth(secrets[role]) },
      body: JSON.stringify(body),
    });
  const created = await as('operator', 'POST', '/v1/sessions', { workDir: freshDir() });
  expect(created.status).toBe(201);
  fx.session = ((await created.json()) as { session: { id: string } }).session.id;
  const template = await as('operator', 'POST', '/v1/templates', { name: TEMPLATE_NAME });
  expect(template.status).toBe(201);
  fx.template = ((await template.json()) as { id: string }).id;
  expect((await as('operator', 'PUT', `/v1/memory/${fx.memoryKey}`, { value: 1 })).status).toBe(200);
});

/** The status a request answers, with the error code when it is an error: `404 SESSION_NOT_FOUND`. */
async function call(method: string, path: string, who: Who, body?: unknown): Promise<string> {
  const res = await app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headersOf(who) },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: JSON.stringify(body ?? {}) }),
  });
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return String(res.status);
  }
  const text = await res.text();
  if (res.status < 400 || !res.headers.get('content-type')?.includes('json')) return String(res.status);
  return `${res.status} ${(JSON.parse(text) as { error: { code: string } }).error.code}`;
}

const DENIED = '403 FORBIDDEN';
const NO_SESSION = '404 SESSION_NOT_FOUND';
const NOT_FOUND = '404 NOT_FOUND';
const MISSING = 'does-not-exist';

interface Case {
  /** Values for the path's `{params}`: the fixtures, or an id that does not exist. */
  params?: () => Record<string, string>;
  /** The smallest valid body (so the answer comes from the handler, not validation). */
  body?: () => unknown;
  /** What each role gets: the session fixture is the operator's, so a viewer gets 404 for it. */
  expect: Record<Role, string>;
}
const all = (status: string): Record<Role, string> => ({ admin: status, operator: status, viewer: status });
const drive = (status: string): Record<Role, string> => ({ admin: status, operator: status, viewer: DENIED });
const adminOnly = (status: string): Record<Role, string> => ({
  admin: status,
  operator: DENIED,
  viewer: DENIED,
});
/** Read of the operator's session: the owner and admin see it; another key gets 404, not 403. */
const ownerRead = (status: string): Record<Role, string> => ({
  admin: status,
  operator: status,
  viewer: NO_SESSION,
});
const own = () => ({ id: fx.session });
const missing = () => ({ id: MISSING });

/** Every operation, with the request the walk sends and the exact answer per role. */
const EXPECTED: Record<string, Case> = {
  // Server
  getHealth: { expect: all('200') },
  handshake: { body: () => ({ protocolVersion: PROTOCOL_VERSION }), expect: all('200') },
  getMetrics: { expect: all('200') },
  getMetricsV1: { expect: all('200') },
  getDiagnostics: { expect: adminOnly('200') },
  listNodes: { expect: all('200') },
  // Sessions
  createSession: { body: () => ({ workDir: freshDir() }), expect: drive('201') },
  batchCreateSessions: { body: () => ({ sessions: [{ workDir: freshDir() }] }), expect: drive('200') },
  batchDeleteSessions: { body: () => ({ ids: [MISSING] }), expect: drive('200') },
  listSessions: { expect: all('200') },
  getSession: { params: own, expect: ownerRead('200') },
  killSession: { params: missing, expect: drive(NO_SESSION) },
  sendMessage: { params: missing, body: () => ({ text: 'hi' }), expect: drive(NO_SESSION) },
  sendInput: { params: missing, body: () => ({ text: 'hi' }), expect: drive(NO_SESSION) },
  sendPrompt: { params: missing, body: () => ({ text: 'hi' }), expect: drive(NO_SESSION) },
  interruptSession: { params: missing, expect: drive(NO_SESSION) },
  escapeSession: { params: missing, expect: drive(NO_SESSION) },
  setMode: { params: missing, body: () => ({ mode: 'default' }), expect: drive(NO_SESSION) },
  updateSession: { params: missing, body: () => ({ budget: null }), expect: drive(NO_SESSION) },
  answerQuestion: { params: own, body: () => ({ answer: 'yes' }), expect: drive('409 NOTHING_PENDING') },
  discoverCommands: { params: own, expect: ownerRead('200') },
  getSessionHealth: { params: own, expect: ownerRead('200') },
  getSessionSummary: { params: own, expect: ownerRead('200') },
  getSessionMetrics: { params: own, expect: ownerRead('200') },
  getSessionLatency: { params: own, expect: ownerRead('200') },
  capturePane: { params: own, expect: all('501 NOT_IMPLEMENTED') },
  takeScreenshot: { params: own, expect: drive('501 NOT_IMPLEMENTED') },
  // Permissions
  approvePermission: { params: own, expect: drive('409 NOTHING_PENDING') },
  rejectPermission: { params: own, expect: drive('409 NOTHING_PENDING') },
  getPermissionPolicies: { expect: drive('200') },
  setPermissionPolicies: { body: () => ({ rules: [] }), expect: adminOnly('200') },
  // Transcript and events
  readSession: { params: own, expect: ownerRead('200') },
  getTranscriptPage: { params: own, expect: ownerRead('200') },
  streamSessionEvents: { params: own, expect: ownerRead('200') },
  streamEvents: { expect: adminOnly('200') },
  // Orchestration
  listTemplates: { expect: all('200') },
  // Templates belong to their owner (the operator); admin sees every owner's.
  getTemplate: {
    params: () => ({ id: fx.template }),
    expect: { admin: '200', operator: '200', viewer: NOT_FOUND },
  },
  createTemplate: { body: () => ({ name: `t-${++dirs}` }), expect: drive('201') },
  updateTemplate: {
    params: () => ({ id: fx.template }),
    body: () => ({ name: TEMPLATE_NAME }),
    expect: drive('200'),
  },
  deleteTemplate: { params: missing, expect: drive(NOT_FOUND) },
  listMemory: { expect: all('200') },
  getMemory: { params: () => ({ key: fx.memoryKey }), expect: all('200') },
  setMemory: { params: () => ({ key: `m-${++dirs}` }), body: () => ({ value: 1 }), expect: drive('200') },
  setMemoryEntry: { body: () => ({ key: `m-${++dirs}`, value: 1 }), expect: drive('200') },
  deleteMemory: { params: () => ({ key: MISSING }), expect: drive(NOT_FOUND) },
  createPipeline: {
    body: () => ({
      name: `p-${++dirs}`,
      stages: [{ name: 'only', spec: { workDir: freshDir(), prompt: 'hi' } }],
    }),
    expect: drive('201'),
  },
  listPipelines: { expect: all('200') },
  getPipeline: { params: missing, expect: all(NOT_FOUND) },
  // Usage
  getUsage: { expect: all('200') },
  getAnalyticsSummary: { expect: all('200') },
  getAnalyticsCosts: { expect: all('200') },
  getAnalyticsTokens: { expect: all('200') },
  getAnalyticsRateLimits: { expect: all('200') },
  // Routines
  createRoutine: {
    body: () => ({
      name: `r-${++dirs}`,
      schedule: '0 3 * * *',
      target: { session: { workDir: freshDir(), prompt: 'hi' } },
    }),
    expect: drive('201'),
  },
  listRoutines: { expect: all('200') },
  // Without `schedule` the answer is a 400 naming it: past authorization, so the role may call it.
  previewRoutineSchedule: { expect: all('400 VALIDATION_FAILED') },
  getRoutine: { params: missing, expect: all(NOT_FOUND) },
  updateRoutine: { params: missing, body: () => ({ name: 'x' }), expect: drive(NOT_FOUND) },
  deleteRoutine: { params: missing, expect: drive(NOT_FOUND) },
  pauseRoutine: { params: missing, expect: drive(NOT_FOUND) },
  resumeRoutine: { params: missing, expect: drive(NOT_FOUND) },
  runRoutine: { params: missing, expect: drive(NOT_FOUND) },
  listRoutineRuns: { params: missing, expect: all(NOT_FOUND) },
  // Security
  createApiKey: { body: () => ({ name: 'walk', role: 'viewer' }), expect: adminOnly('201') },
  listApiKeys: { expect: adminOnly('200') },
  revokeApiKey: { params: missing, expect: adminOnly(NOT_FOUND) },
  rotateApiKey: { params: missing, expect: adminOnly(NOT_FOUND) },
  createSseToken: { expect: all('201') },
  getOidcSettings: { expect: all('200') },
  getWhoami: { expect: all('200') },
  listPeople: { expect: adminOnly('200') },
  queryAudit: { expect: adminOnly('200') },
  // Channels (none configured here; the callbacks check their own secret or signature)
  listChannels: { expect: all('200') },
  testChannel: { params: () => ({ name: 'telegram' }), expect: adminOnly('409 CHANNEL_NOT_CONFIGURED') },
  telegramWebhook: { expect: all('409 CHANNEL_NOT_CONFIGURED') },
  slackInteractivity: { expect: all('409 CHANNEL_NOT_CONFIGURED') },
};

function pathOf(op: Operation, c: Case): string {
  const params = c.params?.() ?? {};
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${op.operationId}: no value for {${name}} in EXPECTED`);
    return encodeURIComponent(value);
  });
}

/**
 * What a mutation could change, read as admin (GETs are not audited, so reading changes nothing).
 * Pipelines started by earlier cases are waited out first, so their stages do not move underneath.
 */
async function snapshot() {
  const get = async (path: string) => {
    const res = await app.request(path, { headers: auth(secrets.admin) });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const statuses = async () =>
    ((await get('/v1/pipelines?limit=100')).pipelines as { status: string }[]).map((p) => p.status);
  await expect.poll(statuses, { timeout: 10_000 }).not.toContain('running');
  const sessions = (await get('/v1/sessions?limit=100')).sessions as { id: string; status: string }[];
  // A key's lastUsedAt moves with every request it makes, the denied one included.
  const keys = (await get('/v1/auth/keys')).keys as Record<string, unknown>[];
  return {
    state: {
      sessions: sessions.map((x) => `${x.id} ${x.status}`).sort(),
      keys: keys.map(({ lastUsedAt: _, ...k }) => k),
      templates: await get('/v1/templates'),
      memory: await get('/v1/memory'),
      pipelines: await statuses(),
      policies: await get('/v1/policies'),
    },
    audit: (await get('/v1/audit?limit=10000')).records as { action: string; outcome: string }[],
  };
}

describe('permission matrix', () => {
  it('has a rule for every operation in openapi.json', () => {
    const missingRule = operations.filter((op) => PERMISSIONS[op.operationId] === undefined);
    expect(missingRule.map((o) => o.operationId)).toEqual([]);
    expect(operations.length).toBeGreaterThan(10);
  });

  it('has an expected answer for every operation, and none for an operation that is gone', () => {
    const ids = operations.map((o) => o.operationId);
    expect(ids.filter((id) => EXPECTED[id] === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('expects 403 exactly where the matrix denies the role', () => {
    const disagree = Object.entries(EXPECTED).flatMap(([id, c]) =>
      ROLES.filter((role) => (c.expect[role] === DENIED) === isAllowed(PERMISSIONS[id], role)).map(
        (role) => `${id} as ${role}: expected ${c.expect[role]}`,
      ),
    );
    expect(disagree).toEqual([]);
  });

  const cases = operations.flatMap((op) =>
    ROLES.map((role) => [op.operationId, role, EXPECTED[op.operationId]?.expect[role], op] as const),
  );
  it.each(cases)('%s as %s → %s', async (operationId, role, expected, op) => {
    const c = EXPECTED[operationId] as Case;
    const denied = !isAllowed(PERMISSIONS[operationId], role);
    const mutates = op.method !== 'GET';
    const before = denied && mutates ? await snapshot() : undefined;
    expect(await call(op.method, pathOf(op, c), role, c.body?.())).toBe(expected);
    if (before) {
      // Refused before the handler: nothing changed, and the denial itself is the one audit record.
      const after = await snapshot();
      expect(after.state).toEqual(before.state);
      expect(after.audit.slice(before.audit.length)).toMatchObject([
        { action: operationId, outcome: '403', actorRole: role },
      ]);
    }
  });

  const anonymous = operations.flatMap((op) =>
    (['none', 'wrong'] as const).map((who) => [op.operationId, who, op] as const),
  );
  it.each(anonymous)('%s with %s credential', async (operationId, who, op) => {
    const c = EXPECTED[operationId] as Case;
    // A public operation answers anyone as it answers an admin.
    const expected = PERMISSIONS[operationId] === 'public' ? c.expect.admin : '401 UNAUTHORIZED';
    expect(await call(op.method, pathOf(op, c), who, c.body?.())).toBe(expected);
  });

  it('denies an operation that has no rule (fail closed)', async () => {
    const { operationMatcher } = await import('./operations.js');
    const match = operationMatcher({ '/v1/new-thing': { post: { operationId: 'brandNewOperation' } } });
    expect(match('POST', '/v1/new-thing')?.operationId).toBe('brandNewOperation');
    expect(isAllowed(PERMISSIONS.brandNewOperation, 'admin')).toBe(false);
  });
});

describe('routes outside the OpenAPI document', () => {
  const everyone = (status: string): Record<Who, string> => ({
    admin: status,
    operator: status,
    viewer: status,
    none: status,
    wrong: status,
  });
  const ROUTES: [string, string, Record<Who, string>][] = [
    ['GET', '/v1/openapi.json', everyone('200')],
    ['GET', '/v1/docs', everyone('200')],
    ['GET', '/dashboard/', everyone('200')],
    ['GET', '/dashboard/sessions/abc', everyone('200')], // the SPA fallback
    ['GET', '/dashboard/assets/missing.js', everyone('404')],
    ['GET', '/dashboard', everyone('301')],
    ['GET', '/', everyone('302')],
    // Unknown /v1 paths: 401 (not 404) without a valid credential, so nothing is learnt about routes.
    [
      'GET',
      '/v1/nope',
      {
        ...everyone(NOT_FOUND),
        none: '401 UNAUTHORIZED',
        wrong: '401 UNAUTHORIZED',
      },
    ],
    [
      'POST',
      '/v1/nope',
      {
        ...everyone(NOT_FOUND),
        none: '401 UNAUTHORIZED',
        wrong: '401 UNAUTHORIZED',
      },
    ],
  ];
  const cases = ROUTES.flatMap(([method, path, want]) =>
    (['admin', 'operator', 'viewer', 'none', 'wrong'] as const).map(
      (who) => [method, path, who, want[who]] as const,
    ),
  );
  it.each(cases)('%s %s as %s → %s', async (method, path, who, expected) => {
    expect(await call(method, path, who)).toBe(expected);
  });

  it('the OpenAPI document served is the committed one (no operation escapes the walk)', async () => {
    const served = (await (await app.request('/v1/openapi.json')).json()) as Doc;
    expect(
      operationsOf(served)
        .map((o) => o.operationId)
        .sort(),
    ).toEqual(
      operationsOf(committed)
        .map((o) => o.operationId)
        .sort(),
    );
  });
});

describe('session actions', () => {
  const every = Object.keys(ACTION_OPERATIONS) as (keyof typeof ACTION_OPERATIONS)[];

  it('maps each action to a real operation with a rule', () => {
    const ids = new Set(operationsOf(committed).map((o) => o.operationId));
    for (const op of Object.values(ACTION_OPERATIONS)) {
      expect(ids.has(op), op).toBe(true);
      expect(PERMISSIONS[op], op).toBeDefined();
    }
  });

  it('offers only what the role may call', () => {
    expect(allowedActions(every, 'admin')).toEqual(every);
    expect(allowedActions(every, 'operator')).toEqual(every);
    expect(allowedActions(every, 'viewer')).toEqual([]);
    expect(allowedActions(every, undefined)).toEqual([]);
  });
});

describe('docs/security.md', () => {
  it('shows the permission matrix exactly as the code enforces it', async () => {
    const { permissionTable } = await import('./permissions.js');
    const doc = readFileSync(join(fileURLToPath(import.meta.url), '../../../../../docs/security.md'), 'utf8');
    const embedded = /<!-- permission-matrix:start -->\n([\s\S]*?)\n<!-- permission-matrix:end -->/.exec(
      doc,
    )?.[1];
    expect(embedded).toBe(permissionTable());
  });
});
