/**
 * What an access token looks like for each kind of issuer the platform trusts. A profile names
 * the token-type check, where the audience and the roles are, and the tenant claim; the verifier
 * reads tokens through it and the sandbox's issuer mints tokens from it, so both agree by
 * construction. Nothing else differs between issuers.
 *
 * - `cognito` (default): `token_use: "access"`, audience in `client_id` (or `aud`), roles in
 *   `cognito:groups`, `tenant_id` added by the pre-token-generation trigger.
 * - `keycloak`: `typ: "Bearer"` claim, the client in `azp`, roles in `realm_access.roles`,
 *   `tenant_id` from a protocol mapper.
 * - `oidc` (RFC 9068): header `typ: "at+jwt"`, audience in `aud`, roles in `roles`, `tenant_id`.
 *
 * @example
 * const profile = tokenProfile(process.env.AUTH_PROFILE);
 * profile.assertAccessToken(header, payload);
 */
import type { Role } from '../service-definition.js';

export const tokenProfileNames = ['cognito', 'keycloak', 'oidc'] as const;
export type TokenProfileName = (typeof tokenProfileNames)[number];

export const tenantClaim = 'tenant_id';

type Claims = Readonly<Record<string, unknown>>;

export interface AccessTokenShape {
  /** The JOSE header's `typ`. */
  type: string;
  claims: Record<string, unknown>;
}

export interface TokenProfile {
  name: TokenProfileName;
  /** Where the issuer publishes its keys, relative to the issuer, when no JWKS URI is configured. */
  jwksPath: string;
  /** Throws unless the token is an access token of this profile (an ID token never passes). */
  assertAccessToken(header: Claims, payload: Claims): void;
  /** The clients the token was issued for. */
  audiences(payload: Claims): string[];
  /** The role claim as the issuer wrote it; unknown roles are dropped later. */
  roles(payload: Claims): unknown;
  /** The claims this profile's issuer puts into an access token (besides iss, sub, iat, exp, jti). */
  accessToken(user: { tenantId: string; roles: readonly Role[] }, audience: string): AccessTokenShape;
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string')
      : [];

const cognito: TokenProfile = {
  name: 'cognito',
  jwksPath: '/.well-known/jwks.json',
  assertAccessToken(_header, payload) {
    if (payload.token_use !== 'access') throw new Error('Not an access token (token_use is not "access")');
  },
  audiences: (payload) => [...strings(payload.client_id), ...strings(payload.aud)],
  roles: (payload) => payload['cognito:groups'],
  accessToken: (user, audience) => ({
    type: 'JWT',
    claims: {
      [tenantClaim]: user.tenantId,
      'cognito:groups': [...user.roles],
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: audience,
    },
  }),
};

const keycloak: TokenProfile = {
  name: 'keycloak',
  jwksPath: '/protocol/openid-connect/certs',
  assertAccessToken(_header, payload) {
    if (payload.typ !== 'Bearer') throw new Error('Not an access token (typ claim is not "Bearer")');
  },
  audiences: (payload) => strings(payload.azp),
  roles: (payload) => {
    const realmAccess = payload.realm_access;
    return typeof realmAccess === 'object' && realmAccess !== null
      ? (realmAccess as Claims).roles
      : undefined;
  },
  accessToken: (user, audience) => ({
    type: 'JWT',
    claims: {
      [tenantClaim]: user.tenantId,
      typ: 'Bearer',
      azp: audience,
      aud: 'account',
      realm_access: { roles: [...user.roles] },
      scope: 'openid profile email',
    },
  }),
};

const oidc: TokenProfile = {
  name: 'oidc',
  jwksPath: '/.well-known/jwks.json',
  assertAccessToken(header) {
    const type = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
    // RFC 9068 section 2.1: "at+jwt", or the full media type "application/at+jwt".
    if (type !== 'at+jwt' && type !== 'application/at+jwt') {
      throw new Error('Not an access token (header typ is not "at+jwt")');
    }
  },
  audiences: (payload) => strings(payload.aud),
  roles: (payload) => payload.roles,
  accessToken: (user, audience) => ({
    type: 'at+jwt',
    claims: { [tenantClaim]: user.tenantId, aud: audience, client_id: audience, roles: [...user.roles] },
  }),
};

export const tokenProfiles: Readonly<Record<TokenProfileName, TokenProfile>> = { cognito, keycloak, oidc };

/** The profile named by configuration; absent means `cognito`, anything unknown fails fast. */
export function tokenProfile(name: string | undefined): TokenProfile {
  if (name === undefined || name === '') return cognito;
  if (!(tokenProfileNames as readonly string[]).includes(name)) {
    throw new Error(`Unknown auth profile "${name}": use one of ${tokenProfileNames.join(', ')}`);
  }
  return tokenProfiles[name as TokenProfileName];
}
