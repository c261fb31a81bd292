import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory-store.js';
import { dropTestSchemas, openTestPgStore } from '../pg/__fixtures__/pg-test-db.js';
import { type AuditDraft, verifyAuditChain } from '../security-store.js';
import type { AegisStore } from '../store.js';
import { createSqliteStore } from './sqlite-store.js';

const draft = (i: number): AuditDraft => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  actorId: i % 2 ? 'k1' : 'k2',
  actorRole: 'operator',
  action: i % 3 ? 'sendMessage' : 'createSession',
  target: `s${i % 2}`,
  outcome: '200',
  details: { n: i, nested: { b: 1, a: [1, 'x'] } },
});

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(dropTestSchemas);

describe.each([
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db') })],
  ['postgres', () => openTestPgStore()],
] as [string, () => AegisStore | Promise<AegisStore>][])('%s audit store', (_name, make) => {
  it('chains every record to the previous hash, even when appends race', async () => {
    const store = await make();
    open.push(store);
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => store.audit.append(draft(i))));
    const all = await store.audit.list({ limit: 100 });
    expect(all.map((r) => r.id)).toEqual(records.map((r) => r.id).sort((a, b) => a - b));
    expect(all[0]?.prevHash).toBeNull();
    for (let i = 1; i < all.length; i++) expect(all[i]?.prevHash).toBe(all[i - 1]?.hash);
    expect(await verifyAuditChain(store.audit, 7)).toEqual({ ok: true, checked: 20, firstBroken: null });
  });

  it('filters by actor, action, target and time range', async () => {
    const store = await make();
    open.push(store);
    for (let i = 0; i < 12; i++) await store.audit.append(draft(i));
    const q = { limit: 100 };
    expect((await store.audit.list({ ...q, actorId: 'k1' })).length).toBe(6);
    expect((await store.audit.list({ ...q, action: 'createSession' })).length).toBe(4);
    expect((await store.audit.list({ ...q, target: 's0' })).every((r) => r.target === 's0')).toBe(true);
    const ranged = await store.audit.list({ ...q, from: draft(3).at, to: draft(5).at });
    expect(ranged.map((r) => r.details?.n)).toEqual([3, 4, 5]);
  });

  it('finds a key by its current or rotated-out hash', async () => {
    const store = await make();
    open.push(store);
    await store.apiKeys.insert({
      id: 'k1',
      name: 'ci',
      role: 'viewer',
      hash: 'h1',
      createdAt: '2025-01-01T00:00:00.000Z',
      expiresAt: null,
      revokedAt: null,
      createdBy: null,
      previousHash: null,
      previousExpiresAt: null,
      lastUsedAt: null,
    });
    await store.apiKeys.update('k1', { hash: 'h2', previousHash: 'h1', previousExpiresAt: 'x' });
    expect((await store.apiKeys.findByHash('h1'))?.id).toBe('k1');
    expect((await store.apiKeys.findByHash('h2'))?.id).toBe('k1');
    expect(await store.apiKeys.findByHash('h3')).toBeUndefined();
    expect((await store.apiKeys.list()).map((k) => k.hash)).toEqual(['h2']);
  });
});

describe('sqlite audit tampering', () => {
  it('verify names exactly the row edited in the database file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aegis-sec-')), 'a.db');
    const store = createSqliteStore({ path });
    open.push(store);
    for (let i = 0; i < 10; i++) await store.audit.append(draft(i));
    const raw = new Database(path);
    raw.prepare("UPDATE audit_log SET outcome = '403' WHERE id = 6").run();
    raw.close();
    expect(await verifyAuditChain(store.audit)).toEqual({
      ok: false,
      checked: 5,
      firstBroken: { id: 6, reason: 'hash_mismatch' },
    });
  });
});
