import { AegisError } from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter } from '../app-env.js';
import type { ApiKeyService } from '../auth/api-keys.js';
import type { OidcAuth } from '../auth/oidc.js';
import type { PeopleDirectory } from '../auth/people.js';
import { errorResponses } from '../http-errors.js';

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const tags = ['Auth'];

export const OidcSettings = z
  .object({
    enabled: z.boolean().describe('Whether people can sign in with the identity provider'),
    issuer: z.string().nullable(),
    cliClientId: z.string().nullable().describe('The public client `ag login` uses (device flow)'),
    scopes: z.string().nullable(),
    audience: z.string().nullable(),
    sso: z.boolean().describe('Whether the dashboard offers "Sign in with SSO"'),
  })
  .meta({ id: 'OidcSettings' });

export const Whoami = z
  .object({
    id: z.string().describe('The owner id of what this caller creates (`oidc:<subject>` for a person)'),
    kind: z.enum(['person', 'key', 'bootstrap', 'local']),
    role: z.string().nullable(),
    name: z.string().nullable().describe("The person's name, or the key's name"),
    email: z.string().nullable(),
    subject: z.string().nullable().describe("The identity provider's subject (`sub`)"),
    expiresAt: z.string().nullable().describe('When this credential stops working by itself'),
    via: z.enum(['token', 'cookie', 'none']),
    csrfToken: z
      .string()
      .nullable()
      .describe('For a dashboard sign-in (cookie): send it as `x-aegis-csrf` on every POST/PUT/PATCH/DELETE'),
  })
  .meta({ id: 'Whoami' });

export const PersonSchema = z
  .object({
    id: z.string(),
    subject: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    role: z.string().nullable(),
    lastSeenAt: z.string(),
  })
  .meta({ id: 'Person' });

const oidcSettingsRoute = createRoute({
  method: 'get',
  path: '/v1/auth/oidc',
  operationId: 'getOidcSettings',
  summary: 'How to sign in with the identity provider (OIDC)',
  description:
    'Public: what `ag login` and the dashboard need to start a sign-in. `enabled: false` when OIDC is not configured.',
  tags,
  responses: { 200: json(OidcSettings, 'The sign-in settings'), ...errorResponses(429) },
});

const whoamiRoute = createRoute({
  method: 'get',
  path: '/v1/auth/whoami',
  operationId: 'getWhoami',
  summary: 'Who the caller is: identity, role and when the credential expires',
  tags,
  responses: { 200: json(Whoami, 'The caller'), ...errorResponses(401, 403, 429) },
});

const peopleRoute = createRoute({
  method: 'get',
  path: '/v1/auth/people',
  operationId: 'listPeople',
  summary: 'People who signed in through the identity provider since the server started',
  description: 'Maps owner ids (`oidc:<subject>`) of sessions, keys and audit records to names and emails.',
  tags,
  responses: {
    200: json(z.object({ people: z.array(PersonSchema) }), 'The people, most recently seen first'),
    ...errorResponses(401, 403, 429),
  },
});

export interface IdentityRouteDeps {
  oidc: OidcAuth | undefined;
  keys: ApiKeyService;
  people: PeopleDirectory;
  /** The CSRF token of the dashboard sign-in this request came with, if any. */
  csrfOf: (cookieHeader: string | undefined) => string | undefined;
}

export function identityRoutes({ oidc, keys, people, csrfOf }: IdentityRouteDeps) {
  const app = newRouter();
  app.openapi(oidcSettingsRoute, (c) => {
    const info = oidc?.publicInfo();
    return c.json(
      {
        enabled: info !== undefined,
        issuer: info?.issuer ?? null,
        cliClientId: info?.cliClientId ?? null,
        scopes: info?.scopes ?? null,
        audience: info?.audience ?? null,
        sso: info?.sso ?? false,
      },
      200,
    );
  });
  app.openapi(whoamiRoute, async (c) => {
    const actor = c.get('actor');
    const expiresAt = c.get('credentialExpiresAt');
    const csrf = c.req.header('authorization') ? undefined : csrfOf(c.req.header('cookie'));
    const base = {
      role: actor.role ?? null,
      expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
      via: c.req.header('authorization')
        ? ('token' as const)
        : csrf
          ? ('cookie' as const)
          : ('none' as const),
      csrfToken: csrf ?? null,
    };
    if (actor.person) {
      return c.json(
        {
          ...base,
          id: actor.id as string,
          kind: 'person' as const,
          name: actor.person.name ?? null,
          email: actor.person.email ?? null,
          subject: actor.person.subject,
        },
        200,
      );
    }
    if (actor.id === null || actor.id === 'bootstrap') {
      const kind = actor.id === null ? ('local' as const) : ('bootstrap' as const);
      return c.json({ ...base, id: actor.id ?? 'local', kind, name: null, email: null, subject: null }, 200);
    }
    const key = await keys.get(actor.id);
    if (!key) throw new AegisError('UNAUTHORIZED', 'The key this request was made with no longer exists.');
    return c.json(
      {
        ...base,
        id: key.id,
        kind: 'key' as const,
        name: key.name,
        email: null,
        subject: null,
        expiresAt: key.expiresAt,
      },
      200,
    );
  });
  app.openapi(peopleRoute, (c) => c.json({ people: people.list() }, 200));
  return app;
}
