import { describe, expect, it } from 'vitest';
import type { EventBody } from './events.js';
import { reduceStatus } from './state-machine.js';

const asked: EventBody = {
  type: 'question.asked',
  data: { questionId: 'q', toolCallId: null, message: 'Which?', questions: [] },
};
const answered = (outcome: 'answered' | 'declined' | 'cancelled'): EventBody => ({
  type: 'question.answered',
  data: { questionId: 'q', outcome, answers: {}, decidedBy: { type: 'human', actor: 'local' }, waitedMs: 5 },
});

describe('the asking state', () => {
  it.each([
    ['working', asked, 'asking'],
    ['stalled', asked, 'asking'],
    ['asking', answered('answered'), 'working'],
    ['asking', answered('declined'), 'working'],
    // A question cancelled with its turn is recorded after the turn ended and changes nothing.
    ['idle', answered('cancelled'), 'idle'],
    ['error', answered('cancelled'), 'error'],
  ] as const)('%s + %s → %s', (from, event, to) => {
    expect(reduceStatus(from, event)).toBe(to);
  });

  it('a question outside a turn is an illegal transition', () => {
    expect(() => reduceStatus('idle', asked)).toThrow(/cannot take question.asked/);
  });

  it('asking ends with the turn', () => {
    expect(
      reduceStatus('asking', {
        type: 'turn.completed',
        data: { turnId: 't', stopReason: 'cancelled', durationMs: 1 },
      }),
    ).toBe('idle');
  });
});
