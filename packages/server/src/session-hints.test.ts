import { AegisError, Session, type SessionStatus, sessionHealth } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { type OperationPaths, withNextCall } from './http-errors.js';
import { sessionHints } from './session-hints.js';

const session = (status: SessionStatus, extra: Record<string, unknown> = {}) =>
  Session.parse({
    id: 'ses_1',
    name: null,
    title: null,
    workDir: '/tmp/w',
    permissionMode: 'default',
    agent: 'scripted',
    model: null,
    ownerId: null,
    parentId: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    lastActivityAt: '2025-01-01T00:00:00.000Z',
    turns: 0,
    queuedPrompts: 0,
    lastSeq: 0,
    usage: {},
    pendingPermission: null,
    pendingPermissionCount: 0,
    problem: null,
    exit: null,
    availableModes: [],
    availableCommands: [],
    status,
    ...extra,
  });

describe('sessionHints (the HTTP edge words what core leaves as actions)', () => {
  it('names the calls for the state, with the session in the path', () => {
    const s = session('permission_prompt');
    const hints = sessionHints(s, 10);
    expect(hints[0]).toContain('POST /v1/sessions/ses_1/approve');
    expect(sessionHealth(s, { alive: true, inactiveMs: 10 }, { hints }).hints).toEqual(hints);
    expect(sessionHints(session('idle'), null)[0]).toContain('POST /v1/sessions/ses_1/send');
    expect(sessionHints(session('completed'), null)[0]).toContain('/v1/sessions/ses_1/transcript/cursor');
  });
});

describe('withNextCall', () => {
  const where: OperationPaths = (id) =>
    ({ listTemplates: 'GET /v1/templates', updateSession: 'PATCH /v1/sessions/{id}' })[id];

  it('adds the route to the message, or to the hint when there is one, filling {id}', () => {
    const listed = withNextCall(
      new AegisError('NOT_FOUND', 'Template t does not exist. List the templates.', {
        details: { next: 'listTemplates' },
      }),
      where,
    );
    expect(listed.message).toBe('Template t does not exist. List the templates: GET /v1/templates.');
    const raised = withNextCall(
      new AegisError('BUDGET_EXCEEDED', 'Over budget.', {
        details: { sessionId: 'ses_9', next: 'updateSession', hint: 'Raise it.' },
      }),
      where,
    );
    expect(raised.message).toBe('Over budget.');
    expect(raised.details?.hint).toBe('Raise it: PATCH /v1/sessions/ses_9.');
    expect(raised.code).toBe('BUDGET_EXCEEDED');
  });

  it('leaves an error without a known next operation as it is', () => {
    const plain = new AegisError('NOT_FOUND', 'Nothing.', { details: { next: 'noSuchOperation' } });
    expect(withNextCall(plain, where)).toBe(plain);
    const none = new AegisError('NOT_FOUND', 'Nothing.');
    expect(withNextCall(none, where)).toBe(none);
  });
});
