/**
 * Whether a bearer token has a JWT's shape (three base64url parts). Kept apart from oidc.ts so that
 * authenticating an API key does not load jose and openid-client.
 */
export const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
