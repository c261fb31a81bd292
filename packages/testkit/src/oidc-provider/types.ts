/** A person the test IdP knows. */
export interface TestIdpUser {
  /** The stable subject (`sub`). */
  sub: string;
  /** What is typed into the sign-in form's username field. */
  login: string;
  password: string;
  email: string;
  name: string;
  /** The `groups` claim. */
  groups: readonly string[];
}

export interface TestIdpOptions {
  /** Default: alice (group `aegis-admins`), bob (`aegis-operators`) and carol (no group). */
  users?: readonly TestIdpUser[] | undefined;
  /** The `aud` of access tokens (the API's resource indicator). Default `https://aegis.test/api`. */
  audience?: string | undefined;
  /** Default 3600. */
  accessTokenTtlSeconds?: number | undefined;
}

/** A real OpenID provider (`oidc-provider`) on a loopback port. */
export interface TestIdp {
  /** `http://127.0.0.1:<port>`. */
  issuer: string;
  audience: string;
  /** A confidential client for the authorization-code flow (dashboard SSO). */
  webClient: { clientId: string; clientSecret: string };
  /** A public client for the device flow (`ag login`). */
  cliClientId: string;
  users: readonly TestIdpUser[];
  /** The user with this login (throws when there is none). */
  user(login: string): TestIdpUser;
  /**
   * Signs a JWT with the IdP's current key (or `key: 'foreign'`, one the IdP never published),
   * with the claims of an access token for `user` unless overridden.
   */
  signToken(options: SignTokenOptions): Promise<string>;
  /** A new signing key becomes the one in use; the old one stays published. */
  rotateKeys(): Promise<void>;
  /**
   * Does what a person does in a browser for the device flow: opens `verificationUri`, enters
   * `userCode`, signs in as `login`, confirms. Resolves when the IdP says sign-in succeeded.
   */
  approveDevice(verificationUri: string, userCode: string, login: string): Promise<void>;
  /**
   * Follows an authorization URL as a browser would, signs in as `login` and returns the final
   * redirect to the client (the callback URL with `code` and `state`), without requesting it.
   */
  signInAt(authorizationUrl: string, login: string): Promise<string>;
  close(): Promise<void>;
}

export interface SignTokenOptions {
  login: string;
  /** Claims that replace or add to the defaults (`iss`, `aud`, `sub`, `email`, `name`, `groups`, `iat`, `exp`). */
  claims?: Record<string, unknown> | undefined;
  /** Seconds from now the token expires; default 600 (negative: already expired). */
  expiresIn?: number | undefined;
  key?: 'current' | 'foreign' | undefined;
}
