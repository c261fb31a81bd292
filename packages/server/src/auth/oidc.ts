import { type Actor, API_KEY_ROLES, type ApiKeyRole } from '@aegis/core';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import * as client from 'openid-client';
import type { OidcConfig } from './oidc-config.js';

/** Why a sign-in token was refused (`details.reason` of the 401/403). */
export type OidcRefusal =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'bad_signature'
  | 'unknown_key'
  | 'invalid_claims'
  | 'issuer_unreachable'
  | 'no_role';

export type OidcCheck =
  | { ok: true; actor: Actor; claims: JWTPayload; expiresAt: number }
  | { ok: false; status: 401 | 403; reason: OidcRefusal; message: string; details?: Record<string, unknown> };

/** What `ag login` and the dashboard need to know to sign someone in (served by `GET /v1/auth/oidc`). */
export interface OidcPublicInfo {
  issuer: string;
  /** The client `ag login` uses (a public client: the device flow). */
  cliClientId: string;
  scopes: string;
  audience: string;
  /** Whether the dashboard can sign in with SSO (a client secret is configured). */
  sso: boolean;
}

export interface OidcAuth {
  readonly config: OidcConfig;
  /** Reads the discovery document; false (and `onWarning`) when the issuer does not answer. */
  start(): Promise<boolean>;
  /** Checks a JWT: signature from the issuer's keys, `iss`, `aud`, `exp`, `nbf`; then the role. */
  verify(token: string): Promise<OidcCheck>;
  /** The confidential web client (dashboard SSO), discovered; throws when the issuer is unreachable. */
  webClient(): Promise<client.Configuration>;
  publicInfo(): OidcPublicInfo;
}

/** Public-key signatures only: never `none`, never a shared secret (HS*). */
const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const RANK: Record<ApiKeyRole, number> = { admin: 3, operator: 2, viewer: 1 };

export { looksLikeJwt } from './jwt-shape.js';

const insecure = (issuer: string) => issuer.startsWith('http:');

/** The value at a dotted path (`realm_access.roles`), or at the whole name when the claim itself has dots. */
function claimAt(claims: JWTPayload, path: string): unknown {
  if (path in claims) return claims[path];
  let at: unknown = claims;
  for (const part of path.split('.')) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The highest role the claim's values map to, or undefined. */
export function roleFromClaims(claims: JWTPayload, config: Pick<OidcConfig, 'roleClaim' | 'roles'>) {
  const raw = claimAt(claims, config.roleClaim);
  const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .slice(0, 200);
  let best: ApiKeyRole | undefined;
  for (const v of values) {
    const role =
      config.roles[v] ?? ((API_KEY_ROLES as readonly string[]).includes(v) ? (v as ApiKeyRole) : undefined);
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return { role: best, values };
}

function refusal(err: unknown, config: OidcConfig): Exclude<OidcCheck, { ok: true }> {
  const code = (err as { code?: string }).code;
  const claim = (err as { claim?: string }).claim;
  const say = (reason: OidcRefusal, message: string): Exclude<OidcCheck, { ok: true }> => ({
    ok: false,
    status: 401,
    reason,
    message,
  });
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return say('expired', 'The sign-in token has expired; sign in again (`ag login`) or refresh it.');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss')
        return say(
          'wrong_issuer',
          `The sign-in token was not issued by ${config.issuer} (AEGIS_OIDC_ISSUER).`,
        );
      if (claim === 'aud')
        return say(
          'wrong_audience',
          `The sign-in token is not meant for this server: its audience (aud) must be ${
            config.tokenType === 'id' ? 'the client id' : `"${config.audience ?? config.clientId}"`
          } (AEGIS_OIDC_AUDIENCE).`,
        );
      if (claim === 'nbf')
        return say('not_yet_valid', 'The sign-in token is not valid yet (nbf); check the clocks.');
      return say('invalid_claims', `The sign-in token's ${claim ?? 'claims'} claim is not acceptable.`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return say(
        'bad_signature',
        'The sign-in token signature does not verify with the identity provider’s keys.',
      );
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return say(
        'unknown_key',
        'The sign-in token is signed with a key the identity provider does not publish.',
      );
    case 'ERR_JWKS_TIMEOUT':
      return say(
        'issuer_unreachable',
        'The identity provider did not answer for its signing keys; try again shortly.',
      );
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return say('malformed', 'The bearer token is not a valid signed JWT from the identity provider.');
    default:
      return code
        ? say('malformed', 'The bearer token could not be checked as a sign-in token.')
        : say(
            'issuer_unreachable',
            `The identity provider's signing keys could not be fetched (${(err as Error).message}); try again shortly or use an API key.`,
          );
  }
}

/**
 * People's sign-in with the configured OpenID provider: discovery and the remote key set through
 * `openid-client` and `jose` (keys cached, refetched when a token names a key not seen yet, at
 * most once per `jwksCooldownSeconds`).
 */
export function createOidcAuth(
  config: OidcConfig,
  options: {
    onWarning?: (message: string, fields: Record<string, unknown>) => void;
    now?: () => number;
  } = {},
): OidcAuth {
  const now = options.now ?? Date.now;
  let discovered: Promise<client.Configuration> | undefined;
  let failedAt = 0;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let web: Promise<client.Configuration> | undefined;

  const discover = (clientId: string, secret?: string) =>
    client.discovery(
      new URL(config.issuer),
      clientId,
      secret,
      secret ? client.ClientSecretBasic(secret) : client.None(),
      { execute: insecure(config.issuer) ? [client.allowInsecureRequests] : [], timeout: 10 },
    );

  /** The discovery document, read once; after a failure, asked again no sooner than `retrySeconds`. */
  const metadata = async (): Promise<client.Configuration | undefined> => {
    if (!discovered) {
      if (failedAt && now() - failedAt < config.retrySeconds * 1000) return undefined;
      discovered = discover(config.cliClientId ?? config.clientId);
    }
    try {
      const found = await discovered;
      const uri = found.serverMetadata().jwks_uri;
      if (!uri) throw new Error('its discovery document has no jwks_uri');
      jwks ??= createRemoteJWKSet(new URL(uri), {
        cooldownDuration: config.jwksCooldownSeconds * 1000,
        timeoutDuration: 5000,
      });
      return found;
    } catch (err) {
      discovered = undefined;
      failedAt = now();
      options.onWarning?.(
        `OIDC issuer ${config.issuer} could not be reached (${(err as Error).message}); sign-in tokens are refused until it answers (asked again in ${config.retrySeconds} s). API keys keep working.`,
        { issuer: config.issuer },
      );
      return undefined;
    }
  };

  const audiences =
    config.tokenType === 'id'
      ? [...new Set([config.clientId, config.cliClientId ?? config.clientId])]
      : [config.audience ?? config.clientId];

  return {
    config,
    async start() {
      return (await metadata()) !== undefined;
    },
    async verify(token) {
      try {
        decodeProtectedHeader(token);
      } catch {
        return {
          ok: false,
          status: 401,
          reason: 'malformed',
          message: 'The bearer token is not a valid signed JWT from the identity provider.',
        };
      }
      if (!(await metadata()) || !jwks) {
        return {
          ok: false,
          status: 401,
          reason: 'issuer_unreachable',
          message: `The identity provider ${config.issuer} cannot be reached to check this sign-in token; try again shortly, or use an API key.`,
        };
      }
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks, {
          issuer: config.issuer,
          audience: audiences,
          clockTolerance: config.clockSkewSeconds,
          requiredClaims: ['sub', 'exp'],
          algorithms: ASYMMETRIC,
          currentDate: new Date(now()),
        }));
      } catch (err) {
        return refusal(err, config);
      }
      const { role, values } = roleFromClaims(claims, config);
      const email = typeof claims.email === 'string' ? claims.email : undefined;
      const name = typeof claims.name === 'string' ? claims.name : undefined;
      if (!role) {
        const mapped = Object.keys(config.roles);
        return {
          ok: false,
          status: 403,
          reason: 'no_role',
          message: `${email ?? claims.sub} has no Aegis role: the token's "${config.roleClaim}" claim ${
            values.length > 0
              ? `holds ${values.slice(0, 10).join(', ')}, none of which`
              : 'is missing or empty, so nothing'
          } maps to a role. Values that map: ${[...mapped, ...API_KEY_ROLES].join(', ')} (oidc.roles / AEGIS_OIDC_ROLES, claim oidc.roleClaim / AEGIS_OIDC_ROLE_CLAIM).`,
          details: { claim: config.roleClaim },
        };
      }
      return {
        ok: true,
        claims,
        expiresAt: (claims.exp as number) * 1000,
        actor: {
          id: `oidc:${claims.sub}`,
          role,
          admin: role === 'admin',
          person: { subject: claims.sub as string, email, name },
        },
      };
    },
    webClient() {
      if (!config.clientSecret) return Promise.reject(new Error('no client secret configured'));
      web ??= discover(config.clientId, config.clientSecret).catch((err) => {
        web = undefined;
        throw err;
      });
      return web;
    },
    publicInfo: () => ({
      issuer: config.issuer,
      cliClientId: config.cliClientId ?? config.clientId,
      scopes: config.scopes,
      audience: config.audience ?? config.clientId,
      sso: config.clientSecret !== undefined,
    }),
  };
}
