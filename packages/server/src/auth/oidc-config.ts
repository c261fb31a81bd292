import { API_KEY_ROLES } from '@aegis/core';
import { z } from 'zod';

/**
 * Sign-in with the company's identity provider (see docs/oidc.md). People's tokens from `issuer`
 * are accepted beside API keys; `clientSecret` turns on dashboard SSO.
 */
export const OidcConfig = z.object({
  /** `AEGIS_OIDC_ISSUER`: the issuer URL; its discovery document is read at start-up. */
  issuer: z
    .string()
    .url('must be the issuer URL, e.g. https://login.example.com/realms/acme')
    .refine(
      (u) => /^https:/.test(u) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
      {
        message: 'must be an https:// URL (plain http is accepted only on a loopback address)',
      },
    ),
  /** `AEGIS_OIDC_CLIENT_ID`: the client Aegis is registered as. */
  clientId: z.string().min(1).max(300),
  /** `AEGIS_OIDC_CLIENT_SECRET`: turns on dashboard SSO (authorization code + PKCE through the server). */
  clientSecret: z.string().min(1).max(1000).optional(),
  /** `AEGIS_OIDC_CLI_CLIENT_ID`: a public client for `ag login`'s device flow. Default: `clientId`. */
  cliClientId: z.string().min(1).max(300).optional(),
  /** `AEGIS_OIDC_AUDIENCE`: the `aud` access tokens must carry. Default: `clientId`. */
  audience: z.string().min(1).max(300).optional(),
  /**
   * `AEGIS_OIDC_TOKEN_TYPE`: `access` (default) accepts JWT access tokens for `audience`; `id`
   * accepts ID tokens (their `aud` is the client id, or `cliClientId`).
   */
  tokenType: z.enum(['access', 'id']).default('access'),
  /** `AEGIS_OIDC_ROLE_CLAIM`: the claim holding the person's groups or roles; a dotted path reaches into objects. */
  roleClaim: z.string().min(1).max(200).default('groups'),
  /**
   * `AEGIS_OIDC_ROLES` (`group=role,…`): claim values → Aegis roles. The role names themselves
   * (`admin`, `operator`, `viewer`) always map to themselves. The highest matching role wins.
   */
  roles: z.record(z.string().min(1).max(300), z.enum(API_KEY_ROLES)).default({}),
  /** `AEGIS_OIDC_CLOCK_SKEW_SECONDS`: how far `exp`/`nbf`/`iat` may be off. Default 30. */
  clockSkewSeconds: z.number().int().min(0).max(300).default(30),
  /** Scopes `ag login` and the dashboard ask for. */
  scopes: z.string().min(1).max(1000).default('openid email profile offline_access'),
  /** How long a dashboard sign-in lasts at most before signing in again. Default 12 h. */
  sessionMaxAgeSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(12 * 3600),
  /** How soon after a failed discovery the issuer is asked again (a token arriving meanwhile waits for none). */
  retrySeconds: z.number().int().min(1).max(3600).default(30),
  /** How soon the signing keys may be fetched again for a token signed with an unknown key. Default 30. */
  jwksCooldownSeconds: z.number().min(0).max(3600).default(30),
});
export type OidcConfig = z.infer<typeof OidcConfig>;
export type OidcConfigInput = z.input<typeof OidcConfig>;

/** Reads `AEGIS_OIDC_*` into a config layer (merged field by field over the file's `oidc`). */
export function oidcFromEnv(env: NodeJS.ProcessEnv): Partial<OidcConfigInput> | undefined {
  const out: Record<string, unknown> = {};
  const text = {
    issuer: env.AEGIS_OIDC_ISSUER,
    clientId: env.AEGIS_OIDC_CLIENT_ID,
    clientSecret: env.AEGIS_OIDC_CLIENT_SECRET,
    cliClientId: env.AEGIS_OIDC_CLI_CLIENT_ID,
    audience: env.AEGIS_OIDC_AUDIENCE,
    tokenType: env.AEGIS_OIDC_TOKEN_TYPE?.trim().toLowerCase(),
    roleClaim: env.AEGIS_OIDC_ROLE_CLAIM,
    scopes: env.AEGIS_OIDC_SCOPES,
  };
  for (const [k, v] of Object.entries(text)) if (v !== undefined && v !== '') out[k] = v;
  if (env.AEGIS_OIDC_CLOCK_SKEW_SECONDS) out.clockSkewSeconds = Number(env.AEGIS_OIDC_CLOCK_SKEW_SECONDS);
  if (env.AEGIS_OIDC_ROLES) {
    out.roles = Object.fromEntries(
      env.AEGIS_OIDC_ROLES.split(',')
        .map((pair) => pair.trim())
        .filter(Boolean)
        .map((pair) => {
          const at = pair.lastIndexOf('=');
          return at < 0 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        }),
    );
  }
  return Object.keys(out).length > 0 ? (out as Partial<OidcConfigInput>) : undefined;
}
