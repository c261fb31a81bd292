import { AegisError, ERROR_CODES } from '@aegis/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppEnv } from './app-env.js';

/** The one error envelope every non-2xx response carries. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).or(z.string()).describe('Stable UPPER_SNAKE code to branch on'),
      message: z.string().describe('What happened and what to do'),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          'Machine-readable specifics; `next`, when present, is the operationId to call next (the message or `hint` names its route)',
        ),
    }),
  })
  .meta({ id: 'ErrorResponse' });

export function errorResponse(c: Context, err: AegisError): Response {
  // A 429 that knows when to come back says so the standard way too.
  const retryAfter = err.details?.retryAfter;
  if ((err.status === 429 || err.status === 503) && typeof retryAfter === 'number' && retryAfter > 0)
    c.header('Retry-After', String(Math.ceil(retryAfter)));
  return c.json(err.toJSON(), err.status as ContentfulStatusCode);
}

/** Converts anything thrown in a handler into the envelope (the one HTTP edge). */
export function toAegisError(err: unknown): AegisError {
  if (err instanceof AegisError) return err;
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return new AegisError('PAYLOAD_TOO_LARGE', 'Request body is too large.');
    if (status === 401) return new AegisError('UNAUTHORIZED', err.message || 'Authentication required.');
    const message = /malformed json/i.test(err.message)
      ? 'Request body is not valid JSON; send a JSON object with Content-Type: application/json.'
      : /unsupported media type/i.test(err.message)
        ? 'Request body must be JSON; send it with Content-Type: application/json.'
        : err.message || 'Bad request.';
    return new AegisError('BAD_REQUEST', message);
  }
  return AegisError.fromUnknown(err);
}

/**
 * The fields of a failure's log line: the request it belongs to (the id its `x-request-id` header
 * carries), the error's code and message, and the stack of what was thrown.
 */
export function failureFields(
  c: Context<AppEnv>,
  err: unknown,
  e: AegisError = toAegisError(err),
): Record<string, unknown> {
  const origin = e.cause instanceof Error ? e.cause : err;
  return {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    code: e.code,
    error: e.message,
    ...(origin instanceof Error && origin.stack ? { stack: origin.stack } : {}),
  };
}

/** zod-openapi validation hook: a 400 with the first issues, in the envelope. */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const issues = result.error.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return errorResponse(
    c,
    AegisError.validation(
      first ? `Invalid request: ${first.path || '(body)'}: ${first.message}` : 'Invalid request.',
      { issues },
    ),
  );
}

/**
 * The documented error responses of a route. A route that authenticates (401) is also subject to
 * the per-key request rate and the auth-failure limit, so it can answer 429 too.
 */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    (statuses.includes(401) && !statuses.includes(429) ? [...statuses, 429] : statuses).map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? 'Error', content: { 'application/json': { schema: ErrorResponse } } },
    ]),
  );

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input',
  401: 'Missing or invalid credentials',
  403: 'Not allowed for this role',
  404: 'Not found',
  409: 'Conflicts with the session state',
  413: 'Body too large',
  422: 'The Idempotency-Key was already used for another request (IDEMPOTENCY_KEY_REUSED)',
  429: 'Rate limited, or no room for another agent process (CAPACITY_EXHAUSTED)',
  501: 'Not supported by this server (the message says what to use instead)',
  502: 'The agent failed',
  503: 'Unavailable',
};

/** Where each operation is: `operationId` → `METHOD /path` (path parameters as `{name}`). */
export type OperationPaths = (operationId: string) => string | undefined;

/** `operationId` → `METHOD /path`, from the routes as registered (`registeredPaths`). */
export function operationPaths(
  paths: Record<string, Record<string, { operationId?: string }>>,
): OperationPaths {
  const byId = new Map<string, string>();
  for (const [path, ops] of Object.entries(paths))
    for (const [method, op] of Object.entries(ops))
      if (op.operationId) byId.set(op.operationId, `${method.toUpperCase()} ${path}`);
  return (id) => byId.get(id);
}

/**
 * Core names what to do next as an operation (`details.next`, an operationId; see
 * `@aegis/core` `NextOperation`) and knows no URLs: the HTTP edge says where that operation is.
 * The call is added to `details.hint` when there is one, else to the message, with path
 * parameters filled in from the details (`{id}` from `sessionId` or `id`).
 */
export function withNextCall(err: AegisError, where: OperationPaths): AegisError {
  const next = err.details?.next;
  if (typeof next !== 'string') return err;
  const at = where(next);
  if (!at) return err;
  const details = err.details ?? {};
  const call = at.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = name === 'id' ? (details.sessionId ?? details.id) : details[name];
    return typeof value === 'string' ? value : whole;
  });
  const add = (text: string) => `${text.replace(/\.$/, '')}: ${call}.`;
  const rendered =
    typeof details.hint === 'string'
      ? new AegisError(err.code, err.message, {
          cause: err,
          details: { ...details, hint: add(details.hint) },
        })
      : new AegisError(err.code, add(err.message), { cause: err, details });
  return rendered;
}
