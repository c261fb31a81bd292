import type { AegisEvent, Session } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { channelFilter } from './filter.js';

const session = (id: string, over: Partial<Session>) =>
  ({ id, workDir: '/srv/a', ownerId: null, name: null, templateId: null, ...over }) as Session;
const sessions = new Map<string, Session>([
  ['plain', session('plain', {})],
  ['stored', session('stored', { templateId: 'tpl_123', name: 'renamed' })],
  ['builtin', session('builtin', { templateId: 'code-reviewer', workDir: '/srv/b' })],
]);
const templateNames = new Map([['tpl_123', 'ci-build']]);
const event = (sessionId: string) =>
  ({ id: 1, sessionId, seq: 1, at: '', type: 'turn.completed', data: {} }) as unknown as AegisEvent;

const take = async (filter: Parameters<typeof channelFilter>[0]) => {
  const accepts = channelFilter(
    filter,
    ['turn.completed'],
    async (id) => sessions.get(id),
    async (id) => templateNames.get(id),
  );
  const out: string[] = [];
  for (const id of sessions.keys()) if (await accepts(event(id))) out.push(id);
  return out;
};

describe('channel filters', () => {
  it.each([
    [{}, ['plain', 'stored', 'builtin']],
    [{ sessions: { templates: ['ci-*'] } }, ['stored']],
    [{ sessions: { templates: ['tpl_123'] } }, ['stored']],
    [{ sessions: { templates: ['code-reviewer'] } }, ['builtin']],
    [{ sessions: { templates: ['*'] } }, ['stored', 'builtin']],
    [{ sessions: { templates: ['*'], workDirs: ['/srv/a'] } }, ['stored']],
    [{ sessions: { templates: ['nothing-*'] } }, []],
    [{ events: ['session.created'] }, []],
  ])('%j takes %j', async (filter, want) => {
    expect(await take(filter)).toEqual(want);
  });
});
