import type { AnswerQuestionRequest, Session } from '@aegis/client';
import { t } from '../i18n/index.js';

export type PendingQuestion = NonNullable<Session['pendingQuestion']>;
export type QuestionField = PendingQuestion['questions'][number];
export type Answers = Record<string, string | string[]>;

/** Toggles `value` in a multi-select answer, or sets a single-select one. */
export function choose(answers: Answers, q: QuestionField, value: string): Answers {
  if (!q.multiSelect) return { ...answers, [q.id]: value };
  const cur = answers[q.id];
  const list = Array.isArray(cur) ? cur : cur ? [cur] : [];
  return { ...answers, [q.id]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value] };
}

export function isChosen(answers: Answers, q: QuestionField, value: string): boolean {
  const cur = answers[q.id];
  return Array.isArray(cur) ? cur.includes(value) : cur === value;
}

function filled(a: string | string[] | undefined): boolean {
  return Array.isArray(a) ? a.length > 0 : typeof a === 'string' && a.trim() !== '';
}

/**
 * The `/answer` body, or the first unanswered question. A question with no fields (just a message)
 * takes the free text as `answer`; otherwise answers are keyed by question id.
 */
export function answerBody(
  q: PendingQuestion,
  answers: Answers,
  freeText = '',
): { ok: true; body: AnswerQuestionRequest } | { ok: false; error: string } {
  if (q.questions.length === 0) {
    if (!freeText.trim()) return { ok: false, error: t('question.typeAnswer') };
    return { ok: true, body: { answer: freeText.trim() } };
  }
  const out: Answers = {};
  for (const f of q.questions) {
    const a = answers[f.id];
    if (!filled(a)) return { ok: false, error: t('question.answerThis', { q: f.header || f.question }) };
    out[f.id] = typeof a === 'string' ? a.trim() : a!;
  }
  return { ok: true, body: { answers: out } };
}
