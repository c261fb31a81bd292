import type { QuestionRequest } from './driver.js';
import { AegisError } from './errors.js';

/** What `/answer` sends: one value for a single question, or values keyed by question id. */
export interface QuestionReply {
  answer?: string | string[] | undefined;
  answers?: Record<string, string | string[]> | undefined;
}

/** Maps a reply onto the question's fields, accepting an option's value or label (case-insensitive). */
export function resolveAnswers(
  request: QuestionRequest,
  reply: QuestionReply,
): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = { ...(reply.answers ?? {}) };
  const first = request.questions[0];
  if (reply.answer !== undefined) {
    if (!first)
      throw AegisError.validation('The agent asked no question field to put `answer` in; send `answers`.');
    raw[first.id] = reply.answer;
  }
  if (Object.keys(raw).length === 0) {
    throw AegisError.validation(
      'Send `answer` (for the first question) or `answers` keyed by question id; use /escape to skip.',
    );
  }
  const out: Record<string, string | string[]> = {};
  for (const [id, value] of Object.entries(raw)) {
    const field = request.questions.find((f) => f.id === id);
    if (!field) {
      throw AegisError.validation(
        `No question "${id}"; the questions are ${request.questions.map((f) => f.id).join(', ') || '(none)'}.`,
      );
    }
    const pick = (v: string): string => {
      const opt = field.options.find(
        (o) =>
          o.value === v ||
          o.label.toLowerCase() === v.toLowerCase() ||
          o.value.toLowerCase() === v.toLowerCase(),
      );
      if (opt) return opt.value;
      if (field.allowCustom || field.options.length === 0) return v;
      throw AegisError.validation(
        `"${v}" is not an option of "${field.question}"; options: ${field.options.map((o) => o.label).join(', ')}.`,
      );
    };
    if (Array.isArray(value)) {
      if (!field.multiSelect)
        throw AegisError.validation(`"${field.question}" takes one answer, not a list.`);
      out[id] = value.map(pick);
    } else out[id] = field.multiSelect ? [pick(value)] : pick(value);
  }
  return out;
}
