import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './index.js';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.close());

const discover = (clientId: string, secret?: string) =>
  client.discovery(
    new URL(idp.issuer),
    clientId,
    secret,
    secret ? client.ClientSecretBasic(secret) : client.None(),
    {
      execute: [client.allowInsecureRequests],
    },
  );

describe('the test IdP', () => {
  it('answers the device flow with a JWT access token for the API audience, carrying email and groups, and a refresh token', async () => {
    const config = await discover(idp.cliClientId);
    const device = await client.initiateDeviceAuthorization(config, {
      scope: 'openid email profile groups offline_access',
    });
    await idp.approveDevice(device.verification_uri, device.user_code, 'alice');
    const tokens = await client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.05 } as never);
    const at = decodeJwt(tokens.access_token);
    expect(at).toMatchObject({
      iss: idp.issuer,
      aud: idp.audience,
      sub: 'u-alice',
      email: 'alice@example.com',
      groups: ['aegis-admins', 'staff'],
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(decodeJwt(refreshed.access_token).sub).toBe('u-alice');
  });

  it('answers the authorization-code flow with PKCE for the confidential web client', async () => {
    const config = await discover(idp.webClient.clientId, idp.webClient.clientSecret);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const redirect = 'http://127.0.0.1:4567/auth/oidc/callback';
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirect,
      scope: 'openid email profile groups',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const back = await idp.signInAt(url.toString(), 'bob');
    expect(back.startsWith(redirect)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()).toMatchObject({ sub: 'u-bob', email: 'bob@example.com' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: idp.audience, groups: ['aegis-operators'] });
  });
});
