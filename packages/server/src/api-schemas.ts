import {
  PermissionMode,
  PromptDelivery,
  Session,
  SessionAction,
  SessionSpecInput,
  SessionStatus,
  TranscriptEntry,
  TranscriptRole,
} from '@aegis/core';
import { z } from 'zod';
import { ownValue } from './compat/own-value.js';
import { DOCUMENTED_STATUS_ALIASES, STATUS_WITHOUT_EQUIVALENT } from './compat/status-aliases.js';

const str = (max: number) => z.string().max(max);

/**
 * An integer query parameter, written in decimal digits only. Plain number coercion would also take
 * "0x10" (16), "1e3" (1000), " 7" or "" (0); these get a 400 naming the parameter instead, the same
 * way `Last-Event-ID` is checked. Typed as an integer in the OpenAPI document.
 */
export const intQuery = (min: number, max?: number) => {
  const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
  const message = (iss: { input?: unknown }) =>
    `must be an integer ${range} written in decimal digits; got "${String(iss.input).slice(0, 40)}"`;
  const n = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v),
    max === undefined ? n : n.max(max, { error: message }),
  );
};

/** The create body is core's session spec (one definition for the engine, templates, batches and pipelines). */
export const CreateSessionRequest = SessionSpecInput.meta({ id: 'CreateSessionRequest' });

export const CreateSessionResponse = Session.extend({
  session: Session.describe('The session (the same fields are also at the top level)'),
  reused: z.boolean(),
  promptDelivery: z.union([PromptDelivery, z.null()]),
})
  .describe(
    "The session's fields at the top level (so `jq -r '.id'` works, as the earlier Aegis documents show), plus `session` (the same object), `reused` and `promptDelivery`.",
  )
  .meta({ id: 'CreateSessionResponse' });

export const SessionDetail = Session.extend({
  actions: z
    .array(SessionAction)
    .describe(
      'What you can do next in this state, limited to what your role may call: e.g. approve/reject/escape while `permission_prompt`, answer while `asking`, interrupt while a turn runs; empty once the session has ended',
    ),
  hints: z
    .array(z.string())
    .describe('The same next steps in words, as API calls (as GET /v1/sessions/{id}/health gives them)'),
}).meta({ id: 'SessionDetail' });

export const SessionList = z
  .object({
    sessions: z.array(Session),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'SessionList' });

const statusList = z
  .string()
  .max(500)
  .transform((v, ctx) => {
    const out = new Set<SessionStatus>();
    for (const p of v.split(',').filter(Boolean)) {
      const documented = ownValue(DOCUMENTED_STATUS_ALIASES, p);
      const without = ownValue(STATUS_WITHOUT_EQUIVALENT, p);
      if (SessionStatus.safeParse(p).success) out.add(p as SessionStatus);
      else if (documented) for (const s of documented) out.add(s);
      else {
        ctx.addIssue({
          code: 'custom',
          message: `${without ? `"${p}": ${without}` : `unknown status "${p}"`}; one of ${SessionStatus.options.join(', ')} (or ${Object.keys(DOCUMENTED_STATUS_ALIASES).join(', ')})`,
        });
        return z.NEVER;
      }
    }
    return [...out];
  });

export const ListSessionsQuery = z.object({
  page: intQuery(1, 1_000_000).optional().describe('Page number, from 1'),
  limit: intQuery(1, 100).optional().describe('Sessions per page (1–100, default 20)'),
  status: statusList
    .optional()
    .describe(
      'Comma-separated states. The names of the earlier Aegis documents work too: `active` (every state of a live session), `ask_question` (asking), `bash_approval` and `plan_mode` (permission_prompt)',
    ),
  workDir: str(4096).optional(),
});

export const IdParam = z.object({ id: str(100).min(1) });

/**
 * The optional `Idempotency-Key` request header of the operations that change something once
 * (create, send, approve/reject, batch and pipeline create). Checked by `idempotency.ts`.
 */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description:
      'Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same key, method, path and body gets the first response again (header `Idempotent-Replayed: true`) instead of acting twice; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running a retry waits for it, then 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`. Keys are per caller and kept 24 h; 5xx and 429 answers are not kept.',
    example: '5f0c6a9e-8d6b-4a59-9a53-1b8f0f2f9a11',
  }),
});

export const SendRequest = z.object({ text: str(100_000).min(1) }).meta({ id: 'SendRequest' });
export const SendResponse = z
  .object({ promptDelivery: PromptDelivery, session: Session })
  .meta({ id: 'SendResponse' });

export const PermissionAnswerRequest = z
  .object({
    optionId: str(200).optional().describe('Pick an offered option explicitly'),
    scope: z.enum(['once', 'always']).optional().describe('always → the allow_always / reject_always option'),
  })
  .meta({ id: 'PermissionAnswerRequest' });
export const PermissionAnswerResponse = z
  .object({ requestId: z.string(), optionId: z.string(), optionKind: z.string(), session: Session })
  .meta({ id: 'PermissionAnswerResponse' });

export const InterruptResponse = z
  .object({ interrupted: z.boolean(), droppedPrompts: z.number().int(), session: Session })
  .meta({ id: 'InterruptResponse' });

export const ModeRequest = z.object({ mode: PermissionMode }).meta({ id: 'ModeRequest' });

export const ReadQuery = z.object({
  cursor: intQuery(0).optional().describe('The `cursor` of the previous read; 0 = from the start'),
  limit: intQuery(1, 1000).optional(),
});
/** A transcript entry in the shape the earlier Aegis documents give `/read`. */
export const ReadMessage = z
  .object({
    role: z.enum(['user', 'assistant', 'system']),
    contentType: z
      .enum(['text', 'thinking', 'tool_use', 'permission_request', 'plan'])
      .describe('thought → thinking, tool → tool_use, permission → permission_request, plan → plan'),
    text: z.string(),
    timestamp: z.string(),
  })
  .meta({ id: 'ReadMessage' });

export const ReadResponse = z
  .object({
    status: SessionStatus,
    statusText: z.string().describe('The state in words, with what to do next'),
    session: Session,
    entries: z.array(TranscriptEntry),
    messages: z
      .array(ReadMessage)
      .describe("The same entries as `entries`, in the earlier Aegis documents' shape"),
    cursor: z.number().int().describe('Pass back as ?cursor= to get only newer entries'),
    has_more: z.boolean(),
  })
  .meta({ id: 'ReadResponse' });

export const TranscriptCursorQuery = z.object({
  before_id: intQuery(1).optional(),
  limit: intQuery(1, 200).optional(),
  role: z
    .string()
    .max(200)
    .transform((v, ctx) => {
      const parts = v.split(',').filter(Boolean);
      for (const p of parts) {
        if (!TranscriptRole.safeParse(p).success) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown role "${p}"; one of ${TranscriptRole.options.join(', ')}`,
          });
          return z.NEVER;
        }
      }
      return parts as TranscriptRole[];
    })
    .optional(),
});
export const EventsQuery = z.object({
  after: intQuery(0).optional().describe('Resume after this id (same as Last-Event-ID)'),
});

export const HealthResponse = z
  .object({
    status: z.literal('ok'),
    version: z.string().optional(),
    uptimeSec: z.number().optional(),
    sessions: z
      .object({
        live: z.number().int(),
        byState: z.record(SessionStatus, z.number().int()).optional().describe('Stored sessions per state'),
      })
      .optional(),
    agents: z.array(z.string()).optional(),
    agentAvailability: z
      .record(z.string(), z.boolean().nullable())
      .optional()
      .describe('Whether each agent command resolves (null: unknown)'),
  })
  .describe(
    'Callers without credentials get only `status`; authenticated callers (and the local user in zero-config mode) also get version, uptime, session counts and agent availability.',
  )
  .meta({ id: 'HealthResponse' });
