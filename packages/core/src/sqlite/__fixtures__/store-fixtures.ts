import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft } from '../../events.js';
import { emptyUsage, type Session } from '../../schemas.js';
import type { TranscriptEntryDraft, TranscriptRole } from '../../transcript.js';

/** Builders shared by the store contract test and the SQLite store's own tests. */

export function makeSession(id: string, overrides: Partial<Session> = {}): Session {
  const at = overrides.createdAt ?? '2025-01-01T00:00:00.000Z';
  return {
    id,
    name: null,
    title: null,
    workDir: '/work/a',
    status: 'idle',
    permissionMode: 'default',
    agent: 'claude',
    model: null,
    ownerId: null,
    parentId: null,
    createdAt: at,
    updatedAt: at,
    lastActivityAt: at,
    turns: 0,
    queuedPrompts: 0,
    lastSeq: 0,
    usage: emptyUsage(),
    pendingPermission: null,
    pendingPermissionCount: 0,
    pendingQuestion: null,
    policies: [],
    problem: null,
    exit: null,
    availableModes: [{ id: 'default', name: 'Default', description: null }],
    availableCommands: [],
    agentSession: null,
    agentResident: false,
    node: null,
    sandbox: null,
    templateId: null,
    budget: null,
    budgetStatus: { warned: [], exceeded: null },
    ...overrides,
  };
}

export const delta = (sessionId: string, seq: number, text = `chunk ${seq}`): EventDraft => ({
  sessionId,
  seq,
  at: `2025-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  type: 'message.delta',
  data: { messageId: 'm1', text },
});

export const entry = (
  sessionId: string,
  seq: number,
  role: TranscriptRole = 'assistant',
): TranscriptEntryDraft => ({
  sessionId,
  seq,
  at: '2025-01-01T00:00:00.000Z',
  role,
  text: `${role} ${seq}`,
  ...(role === 'plan' ? { plan: [{ content: 'step', priority: 'high', status: 'pending' }] } : {}),
});

const tmpDirs: string[] = [];
export function tmpDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-store-'));
  tmpDirs.push(dir);
  return join(dir, 'nested', 'aegis.db');
}

export function removeTmpDirs(): void {
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
