import { AegisError } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { type OperationPaths, withNextCall } from './http-errors.js';

// The hints themselves are asserted over HTTP in control-observability.test.ts (approve, send,
// answer, ended, stalled, rate-limited), and core's passing them through in session-metrics.test.ts.

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
