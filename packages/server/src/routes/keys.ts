import { type Aegis, AegisError, API_KEY_ROLES } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../api-schemas.js';
import { newRouter } from '../app-env.js';
import type { ApiKeyService } from '../auth/api-keys.js';
import type { SseTokenRegistry } from '../auth/sse-tokens.js';
import { errorResponses } from '../http-errors.js';
import type { OpenStreams } from '../open-streams.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T>(schema: T, required = true) => ({
  body: { content: { 'application/json': { schema } }, required },
});
const tags = ['Auth'];

export const ApiKeyRoleSchema = z.enum(API_KEY_ROLES).meta({ id: 'ApiKeyRole' });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: ApiKeyRoleSchema,
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: z.string(),
    createdBy: z.string().nullable().describe('The key (or `local` / `bootstrap`) that created this one'),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
    rotationGraceEndsAt: z
      .string()
      .nullable()
      .describe('Until when the secret replaced by the last rotation works'),
  })
  .meta({ id: 'ApiKey' });

export const CreateApiKeyRequest = z
  .object({
    name: z.string().min(1).max(100),
    /** Default: `admin` for the first key (see the operation's description), `operator` after. */
    role: ApiKeyRoleSchema.optional(),
    expiresAt: z.iso.datetime().optional().describe('When the key stops working; default never'),
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 365 * 86_400)
      .optional()
      .describe('Alternative to expiresAt'),
  })
  .meta({ id: 'CreateApiKeyRequest' });

export const ApiKeySecret = z
  .object({
    key: ApiKey,
    secret: z.string().describe('The plaintext key. Shown only in this response; store it now.'),
  })
  .meta({ id: 'ApiKeySecret' });

export const CreatedApiKey = ApiKeySecret.extend({
  localAccessEnded: z
    .boolean()
    .describe(
      'This was the first key: zero-config local access is now off, and every request needs a key (this one is admin)',
    ),
  notice: z.string().nullable().describe('What changed, in words, when something did (the first key)'),
}).meta({ id: 'CreatedApiKey' });

export const RotateApiKeyRequest = z
  .object({
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .optional()
      .describe('How long the old secret keeps working; default 3600'),
  })
  .meta({ id: 'RotateApiKeyRequest' });

export const SseTokenRequest = z
  .object({
    sessionId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Limit the token to this session’s stream; omit for the global stream (admins)'),
  })
  .meta({ id: 'SseTokenRequest' });

export const SseToken = z
  .object({
    token: z.string().describe('Pass as ?token= to the event stream; single use'),
    expiresAt: z.string(),
    sessionId: z.string().nullable(),
  })
  .meta({ id: 'SseToken' });

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/auth/keys',
  operationId: 'createApiKey',
  summary: 'Create an API key (the secret is returned once)',
  description:
    'While no active key exists, a server on loopback without AEGIS_AUTH_TOKEN lets requests without credentials act as the local admin (zero-config). The first key ends that: from then on every request needs a key. So the first key is `admin` (the default then); asking for another role is refused with 409 `CONFLICT`. The response says so (`localAccessEnded`, `notice`). Later keys default to `operator`.',
  tags,
  request: body(CreateApiKeyRequest),
  responses: {
    201: json(CreatedApiKey, 'The new key and its secret'),
    ...errorResponses(400, 401, 403, 409, 429),
  },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/v1/auth/keys',
  operationId: 'listApiKeys',
  summary: 'List API keys (never their secrets)',
  tags,
  responses: {
    200: json(z.object({ keys: z.array(ApiKey) }).meta({ id: 'ApiKeyList' }), 'Every key, oldest first'),
    ...errorResponses(401, 403, 429),
  },
});

const revokeRouteDef = createRoute({
  method: 'delete',
  path: '/v1/auth/keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key (at once, including a rotated secret in its grace period)',
  description:
    'The key stops working at once, including a rotated secret in its grace period. Its open event streams are closed, the unused event-stream tokens it minted stop working, and its running pipelines start no more stages (they fail, saying the key was revoked). Sessions it started keep running; kill them if they must stop.',
  tags,
  request: { params: IdParam },
  responses: { 200: json(ApiKey, 'The revoked key'), ...errorResponses(401, 403, 404, 429) },
});

const rotateRouteDef = createRoute({
  method: 'post',
  path: '/v1/auth/keys/{id}/rotate',
  operationId: 'rotateApiKey',
  summary: 'Give a key a new secret; the old one works for a grace period',
  description:
    "The key keeps its id, role and sessions. The previous secret stays valid for `gracePeriodSeconds` (default 3600) so clients can switch over. With `gracePeriodSeconds: 0` the old secret stops at once, and so does everything opened with it: the key's open event streams are closed, its unused event-stream tokens stop working, and its running pipelines start no more stages.",
  tags,
  request: { params: IdParam, ...body(RotateApiKeyRequest, false) },
  responses: {
    200: json(ApiKeySecret, 'The key and its new secret'),
    ...errorResponses(400, 401, 403, 404, 409, 429),
  },
});

const sseTokenRouteDef = createRoute({
  method: 'post',
  path: '/v1/auth/sse-token',
  operationId: 'createSseToken',
  summary: 'Mint a short-lived, single-use token for an event stream',
  description:
    "For `EventSource`, which cannot send headers: open `/v1/sessions/{id}/events?token=…` (or `/v1/events?token=…`) within the token's lifetime (default 60 s). The token acts as the key that minted it, works once, only on the event streams, and only for `sessionId` when given.",
  tags,
  request: body(SseTokenRequest, false),
  responses: { 201: json(SseToken, 'The token'), ...errorResponses(400, 401, 403, 404, 429) },
});

export interface KeyRouteDeps {
  aegis: Aegis;
  keys: ApiKeyService;
  sseTokens: SseTokenRegistry;
  /** Requests without credentials act as the local admin while no active key exists. */
  zeroConfig: boolean;
  streams: OpenStreams;
}

/** Said (as `notice`) when the first key ends zero-config local access. */
export const FIRST_KEY_NOTICE =
  'This is the first API key, so zero-config local access is now off: every request needs a key. Use this one (it is admin): `ag … --token <secret>` or AEGIS_AUTH_TOKEN=<secret> for the CLI, "Sign in" in the dashboard. Store it now; it is shown only once.';

export function keyRoutes({ aegis, keys, sseTokens, zeroConfig, streams }: KeyRouteDeps) {
  const app = newRouter();
  /**
   * What a key opened with a secret that no longer works ends with it: its event streams, its
   * unused event-stream tokens, and the stages its pipelines have yet to start.
   */
  const cutOff = (keyId: string, why: 'revoked' | 'rotated') => {
    const reason =
      why === 'revoked'
        ? `API key ${keyId} was revoked`
        : `The secret of API key ${keyId} was rotated without a grace period`;
    streams.closeKey(keyId, reason);
    sseTokens.revokeActor(keyId);
    aegis.pipelines.stopOwnedBy(
      keyId,
      `${reason}, so no more stages are started on its behalf. Create the pipeline again with a valid key to rerun it.`,
    );
  };
  app.openapi(createRouteDef, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const first = zeroConfig && !(await keys.hasActiveKeys());
    if (first && input.role !== undefined && input.role !== 'admin') {
      throw new AegisError(
        'CONFLICT',
        `The first API key must be admin: creating it turns off zero-config local access (requests without a key get 401 from then on), and only an admin key can manage keys and see the sessions started without one. Create this key with role admin (or leave role out), then use it to create ${input.role} keys.`,
        { details: { reason: 'first_key_must_be_admin', role: input.role } },
      );
    }
    const expiresAt =
      input.expiresAt ??
      (input.expiresInSeconds ? new Date(Date.now() + input.expiresInSeconds * 1000).toISOString() : null);
    const created = await keys.create({
      name: input.name,
      role: input.role ?? (first ? 'admin' : 'operator'),
      expiresAt,
      createdBy: actor.id ?? 'local',
    });
    return c.json({ ...created, localAccessEnded: first, notice: first ? FIRST_KEY_NOTICE : null }, 201);
  });
  app.openapi(listRouteDef, async (c) => c.json({ keys: await keys.list() }, 200));
  app.openapi(revokeRouteDef, async (c) => {
    const revoked = await keys.revoke(c.req.valid('param').id);
    cutOff(revoked.id, 'revoked');
    return c.json(revoked, 200);
  });
  app.openapi(rotateRouteDef, async (c) => {
    const input = (await c.req.json().catch(() => ({}))) as unknown;
    const parsed = RotateApiKeyRequest.parse(input ?? {});
    const grace = parsed.gracePeriodSeconds ?? 3600;
    const rotated = await keys.rotate(c.req.valid('param').id, grace);
    if (grace === 0) cutOff(rotated.key.id, 'rotated');
    return c.json(rotated, 200);
  });
  app.openapi(sseTokenRouteDef, async (c) => {
    const input = SseTokenRequest.parse((await c.req.json().catch(() => ({}))) ?? {});
    const actor = c.get('actor');
    // Only sessions the caller may see can be scoped: 404 otherwise, like every session route.
    if (input.sessionId) await aegis.sessions.get(input.sessionId, actor);
    return c.json(sseTokens.mint(actor, input.sessionId ?? null), 201);
  });
  return app;
}
