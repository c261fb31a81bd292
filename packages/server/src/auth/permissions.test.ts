import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, OPENAPI_INFO } from '../app.js';
import { ACTION_OPERATIONS, allowedActions, isAllowed, PERMISSIONS } from './permissions.js';

type Doc = { paths: Record<string, Record<string, { operationId?: string }>> };
const committed = JSON.parse(
  readFileSync(join(fileURLToPath(import.meta.url), '../../../../../openapi.json'), 'utf8'),
) as Doc;

const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const aegis = createAegis({ agent: driver, store: createMemoryStore() });
const app = createApp({
  aegis,
  agents: driver.agents,
  security: { limits: { authFailuresPerMinute: 1e6, requestsPerMinute: 1e6 } },
});
afterAll(() => aegis.close());

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

const secrets: Record<string, string> = {};
beforeAll(async () => {
  // Zero-config: the first key is created without credentials; after that, keys are required.
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const res = await app.request('/v1/auth/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secrets.admin ? auth(secrets.admin) : {}) },
      body: JSON.stringify({ name: role, role }),
    });
    expect(res.status).toBe(201);
    secrets[role] = ((await res.json()) as { secret: string }).secret;
  }
});

const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function call(op: Operation, headers: Record<string, string>): Promise<number> {
  const path = op.path.replace(/\{[^}]+\}/g, 'does-not-exist');
  const res = await app.request(path, {
    method: op.method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(op.method === 'GET' || op.method === 'HEAD' ? {} : { body: '{}' }),
  });
  await res.body?.cancel();
  return res.status;
}

describe('permission matrix', () => {
  it('has a rule for every operation in openapi.json', () => {
    const missing = operations.filter((op) => PERMISSIONS[op.operationId] === undefined);
    expect(missing.map((o) => o.operationId)).toEqual([]);
    expect(operations.length).toBeGreaterThan(10);
  });

  const cases = operations.flatMap((op) =>
    (['admin', 'operator', 'viewer', 'none', 'wrong'] as const).map(
      (who) => [op.operationId, who, op] as const,
    ),
  );
  it.each(cases)('%s as %s', async (operationId, who, op) => {
    const rule = PERMISSIONS[operationId];
    const headers =
      who === 'none' ? {} : who === 'wrong' ? auth('aegis_not-a-real-key') : auth(secrets[who] as string);
    const status = await call(op, headers);
    if (rule === 'public') {
      expect(status).toBe(200);
    } else if (who === 'none' || who === 'wrong') {
      expect(status).toBe(401);
    } else if (isAllowed(rule, who)) {
      expect([401, 403]).not.toContain(status);
      expect(status).toBeLessThan(500);
    } else {
      expect(status).toBe(403);
    }
  });

  it('denies an operation that has no rule (fail closed)', async () => {
    const { operationMatcher } = await import('./operations.js');
    const match = operationMatcher({ '/v1/new-thing': { post: { operationId: 'brandNewOperation' } } });
    expect(match('POST', '/v1/new-thing')?.operationId).toBe('brandNewOperation');
    expect(isAllowed(PERMISSIONS.brandNewOperation, 'admin')).toBe(false);
  });

  it('answers 401 (not 404) for unknown paths without credentials, 404 with them', async () => {
    expect((await app.request('/v1/nope')).status).toBe(401);
    expect((await app.request('/v1/nope', { headers: auth(secrets.viewer as string) })).status).toBe(404);
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
