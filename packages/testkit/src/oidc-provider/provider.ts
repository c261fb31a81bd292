import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import type { TestIdpUser } from './types.js';

export interface ProviderSetup {
  issuer: string;
  audience: string;
  webClient: { clientId: string; clientSecret: string };
  cliClientId: string;
  users: readonly TestIdpUser[];
  accessTokenTtlSeconds: number;
  /** Private signing keys, the one in use first. */
  keys: JWK[];
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

const SCOPES = 'openid email profile groups offline_access';

/** One oidc-provider instance; `startTestIdp` builds a new one (same issuer) on key rotation. */
export function buildProvider(setup: ProviderSetup): Provider {
  const byId = new Map(setup.users.map((u) => [u.sub, u]));
  const claimsOf = (u: TestIdpUser) => ({
    sub: u.sub,
    email: u.email,
    email_verified: true,
    name: u.name,
    groups: [...u.groups],
  });
  const configuration: Configuration = {
    clients: [
      {
        client_id: setup.webClient.clientId,
        client_secret: setup.webClient.clientSecret,
        // A native client may redirect to any port of a loopback address (RFC 8252): the test
        // servers listen on port 0.
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: setup.cliClientId,
        application_type: 'native',
        redirect_uris: [],
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        token_endpoint_auth_method: 'none',
      },
    ],
    jwks: { keys: setup.keys as never },
    findAccount: async (_ctx, id) => {
      const user = byId.get(id);
      if (!user) return undefined;
      return { accountId: id, claims: async () => claimsOf(user) };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: setup.accessTokenTtlSeconds,
      IdToken: setup.accessTokenTtlSeconds,
      DeviceCode: 600,
      RefreshToken: 86_400,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: (ctx, form, _out, err) => {
          ctx.body = page(
            'Enter the code',
            `${err ? '<p>That code is not valid.</p>' : ''}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
          );
        },
        userCodeConfirmSource: (ctx, form, _client, _info, userCode) => {
          ctx.body = page(
            'Confirm the device',
            `<p><code>${userCode}</code></p>${form}<button type="submit" form="op.deviceConfirmForm">Continue</button>`,
          );
        },
        successSource: (ctx) => {
          ctx.body = page('Sign-in Success', '<p>You can close this page.</p>');
        },
      },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => setup.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          audience: setup.audience,
          scope: SCOPES,
          accessTokenTTL: setup.accessTokenTtlSeconds,
          accessTokenFormat: 'jwt',
        }),
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // JWT access tokens carry who the person is and their groups, as company IdPs are set up to do.
    extraTokenClaims: async (_ctx, token) => {
      const user = 'accountId' in token && token.accountId ? byId.get(token.accountId) : undefined;
      return user ? { email: user.email, name: user.name, groups: [...user.groups] } : undefined;
    },
    cookies: { keys: ['aegis-test-idp-cookie-key'] },
  };
  const provider = new Provider(setup.issuer, configuration);
  // Silence oidc-provider's "you should change this" notices in test output.
  provider.on('server_error', () => {});
  return provider;
}

/** The sign-in pages the IdP sends people to: a plain login form (name + password). */
export async function handleInteraction(
  provider: Provider,
  users: readonly TestIdpUser[],
  audience: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://idp');
  const html = (status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') {
      // No consent screen: the test client is granted every scope it asked for.
      const accountId = details.session?.accountId as string;
      const clientId = details.params.client_id as string;
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
        : new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(SCOPES);
      const resource = details.params.resource ?? audience;
      grant.addResourceScope(String(resource), SCOPES);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (req.method === 'GET') {
      html(
        200,
        `<!doctype html><html><head><title>Test IdP sign-in</title></head><body>
<h1>Sign in to the test identity provider</h1>
<form method="post" action="/interaction/${details.uid}/login">
<label>Username <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>`,
      );
      return;
    }
    const body = new URLSearchParams(await readBody(req));
    const login = body.get('login') ?? '';
    const user = users.find((u) => u.login === login || u.email === login);
    if (!user || body.get('password') !== user.password) {
      html(
        401,
        `<!doctype html><p>Wrong username or password. <a href="${url.pathname.replace(/\/login$/, '')}">Try again</a></p>`,
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  } catch (err) {
    html(
      400,
      `<!doctype html><p>Sign-in failed: ${String((err as Error).message).replace(/</g, '&lt;')}</p>`,
    );
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
