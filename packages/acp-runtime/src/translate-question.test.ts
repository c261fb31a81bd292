import type * as acp from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { toAegisError, toElicitationResponse, toQuestionRequest } from './translate.js';

/** The shape Claude Code 0.100.0 sends for one AskUserQuestion (elicitation.js). */
const askUserQuestion = {
  mode: 'form',
  sessionId: 's1',
  toolCallId: 'toolu_1',
  message: 'Which database?',
  requestedSchema: {
    type: 'object',
    properties: {
      question_0: {
        type: 'string',
        title: 'DB',
        oneOf: [
          { const: 'Postgres', title: 'Postgres', description: 'relational' },
          { const: 'SQLite', title: 'SQLite' },
        ],
      },
      question_0_custom: { type: 'string', title: 'Other', description: 'Type your own answer.' },
    },
  },
} as unknown as acp.CreateElicitationRequest;

describe('questions (form elicitation)', () => {
  it("maps Claude Code's AskUserQuestion form into one question with options and a custom answer", () => {
    expect(toQuestionRequest(askUserQuestion)).toEqual({
      toolCallId: 'toolu_1',
      message: 'Which database?',
      questions: [
        {
          id: 'question_0',
          question: 'Which database?',
          header: 'DB',
          options: [
            { value: 'Postgres', label: 'Postgres', description: 'relational' },
            { value: 'SQLite', label: 'SQLite', description: null },
          ],
          multiSelect: false,
          allowCustom: true,
        },
      ],
    });
  });

  it('puts an option into its field and free text into the custom field', () => {
    const q = toQuestionRequest(askUserQuestion)!;
    expect(toElicitationResponse(q, { outcome: 'answered', answers: { question_0: 'SQLite' } })).toEqual({
      action: 'accept',
      content: { question_0: 'SQLite' },
    });
    expect(toElicitationResponse(q, { outcome: 'answered', answers: { question_0: 'Redis' } })).toEqual({
      action: 'accept',
      content: { question_0_custom: 'Redis' },
    });
    expect(toElicitationResponse(q, { outcome: 'declined' })).toEqual({ action: 'decline' });
    expect(toElicitationResponse(q, { outcome: 'cancelled' })).toEqual({ action: 'cancel' });
  });

  it('ignores URL-mode elicitations', () => {
    expect(
      toQuestionRequest({ mode: 'url', sessionId: 's', elicitationId: 'e', url: 'https://x', message: 'm' }),
    ).toBeNull();
  });
});

describe('rate limits', () => {
  it('maps the adapter\'s errorKind "rate_limit" to RATE_LIMITED', () => {
    const err = toAegisError(
      {
        code: -32603,
        message: 'Internal error: API Error: Request rejected',
        data: { errorKind: 'rate_limit' },
      },
      'session/prompt',
    );
    expect(err.code).toBe('RATE_LIMITED');
  });
});
