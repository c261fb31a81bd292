import type {
  PermissionDecision,
  PermissionRequest,
  QuestionAnswer,
  QuestionField,
  QuestionRequest,
} from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { compact, toolContent, toolKind } from './tool-fields.js';

/** Maps `session/request_permission` params into core's permission request. */
export function toPermissionRequest(params: acp.RequestPermissionRequest): PermissionRequest {
  const tool = params.toolCall;
  return compact({
    toolCallId: tool.toolCallId ?? null,
    title: tool.title ?? 'Permission requested',
    kind: toolKind(tool.kind) ?? null,
    input: tool.rawInput,
    content: toolContent(tool.content) ?? [],
    options: params.options.map((o) => ({ optionId: o.optionId, name: o.name, kind: o.kind })),
  });
}

export function toPermissionResponse(decision: PermissionDecision): acp.RequestPermissionResponse {
  return decision.outcome === 'selected'
    ? { outcome: { outcome: 'selected', optionId: decision.optionId } }
    : { outcome: { outcome: 'cancelled' } };
}

type EnumChoice = { const?: unknown; title?: unknown; description?: unknown };
const choices = (list: unknown): { value: string; label: string; description: string | null }[] =>
  Array.isArray(list)
    ? (list as EnumChoice[])
        .filter((o) => o && (typeof o.const === 'string' || typeof o.const === 'number'))
        .map((o) => ({
          value: String(o.const),
          label: typeof o.title === 'string' ? o.title : String(o.const),
          description: typeof o.description === 'string' ? o.description : null,
        }))
    : [];

/**
 * Maps a form-mode `elicitation/create` into a core question. Claude Code's AskUserQuestion comes
 * as fields `question_<n>` (a titled `oneOf` enum, or an array of `anyOf` for multi-select) each
 * followed by a free-text `question_<n>_custom`; the custom field is folded into its question.
 * Any other form is mapped field by field. `null` for a URL-mode or unknown-mode elicitation.
 */
export function toQuestionRequest(params: acp.CreateElicitationRequest): QuestionRequest | null {
  if (params.mode !== 'form') return null;
  const schema = (params as { requestedSchema?: acp.ElicitationSchema }).requestedSchema;
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const keys = Object.keys(props);
  const questions: QuestionField[] = [];
  for (const id of keys) {
    if (id.endsWith('_custom') && keys.includes(id.slice(0, -'_custom'.length))) continue;
    const p = props[id] ?? {};
    const multi = p.type === 'array';
    const items = (p.items ?? {}) as Record<string, unknown>;
    const options = multi ? choices(items.anyOf ?? items.oneOf) : choices(p.oneOf ?? p.anyOf);
    if (options.length === 0 && Array.isArray(p.enum)) {
      for (const v of p.enum as unknown[])
        options.push({ value: String(v), label: String(v), description: null });
    }
    const title = typeof p.title === 'string' ? p.title : null;
    const description = typeof p.description === 'string' ? p.description : null;
    questions.push({
      id,
      question: description ?? (keys.length <= 2 ? params.message : (title ?? id)),
      header: title,
      options,
      multiSelect: multi,
      allowCustom: keys.includes(`${id}_custom`) || options.length === 0,
    });
  }
  const toolCallId = (params as { toolCallId?: string | null }).toolCallId ?? null;
  return { toolCallId, message: params.message, questions };
}

/**
 * Maps a core answer back: values that are not options of a question with a custom field go into
 * that custom field, as Claude Code expects; `declined` → `decline`, `cancelled` → `cancel`.
 */
export function toElicitationResponse(
  request: QuestionRequest,
  answer: QuestionAnswer,
): acp.CreateElicitationResponse {
  if (answer.outcome === 'cancelled') return { action: 'cancel' };
  if (answer.outcome === 'declined') return { action: 'decline' };
  const content: Record<string, string | string[]> = {};
  for (const [id, value] of Object.entries(answer.answers)) {
    const field = request.questions.find((q) => q.id === id);
    const isOption = (v: string) => field?.options.some((o) => o.value === v) ?? false;
    const values = Array.isArray(value) ? value : [value];
    const picked = values.filter(isOption);
    const custom = values.filter((v) => !isOption(v));
    if (field?.multiSelect) content[id] = picked;
    else if (picked[0] !== undefined) content[id] = picked[0];
    if (custom.length > 0) {
      if (field && field.options.length > 0) content[`${id}_custom`] = custom.join(', ');
      else content[id] = field?.multiSelect ? custom : custom.join(', ');
    }
  }
  return { action: 'accept', content } as acp.CreateElicitationResponse;
}
