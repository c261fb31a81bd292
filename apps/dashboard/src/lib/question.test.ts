import { describe, expect, it } from 'vitest';
import { answerBody, choose, isChosen, type PendingQuestion, type QuestionField } from './question.js';

const field = (over: Partial<QuestionField> = {}): QuestionField => ({
  id: 'question_0',
  question: 'Which database?',
  header: 'DB',
  options: [
    { value: 'SQLite', label: 'SQLite' },
    { value: 'Postgres', label: 'Postgres' },
  ],
  multiSelect: false,
  allowCustom: true,
  ...over,
});
const pq = (questions: QuestionField[]): PendingQuestion => ({
  questionId: 'q1',
  toolCallId: null,
  message: 'Pick one',
  questions,
  askedAt: '2026-01-01T00:00:00Z',
});

describe('questions', () => {
  it('single select replaces, multi select toggles', () => {
    const single = field();
    let a = choose({}, single, 'SQLite');
    a = choose(a, single, 'Postgres');
    expect(a).toEqual({ question_0: 'Postgres' });
    const multi = field({ multiSelect: true });
    let m = choose({}, multi, 'SQLite');
    m = choose(m, multi, 'Postgres');
    expect(isChosen(m, multi, 'SQLite')).toBe(true);
    m = choose(m, multi, 'SQLite');
    expect(m).toEqual({ question_0: ['Postgres'] });
  });
  it('builds answers keyed by question id, and names the first unanswered one', () => {
    const q = pq([field(), field({ id: 'question_1', header: null, question: 'Why?' })]);
    expect(answerBody(q, { question_0: 'SQLite' })).toEqual({ ok: false, error: 'Answer “Why?”.' });
    expect(answerBody(q, { question_0: 'SQLite', question_1: '  speed ' })).toEqual({
      ok: true,
      body: { answers: { question_0: 'SQLite', question_1: 'speed' } },
    });
    expect(answerBody(pq([field({ multiSelect: true })]), { question_0: [] }).ok).toBe(false);
  });
  it('a bare message takes free text as `answer`', () => {
    expect(answerBody(pq([]), {}, '  ')).toEqual({ ok: false, error: 'Type an answer.' });
    expect(answerBody(pq([]), {}, ' yes ')).toEqual({ ok: true, body: { answer: 'yes' } });
  });
});
