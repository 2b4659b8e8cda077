/**
 * A standard OIDC issuer for offline use: discovery document, JWKS (RS256, with `kid`) and access
 * tokens in the shape of the configured profile (`AUTH_PROFILE`: cognito, keycloak or oidc; see
 * functions/shared/auth/token-profiles.ts), so the authorizer verifies exactly what it would
 * verify from that kind of issuer in production.
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import type { TokenProfile } from '../functions/shared/auth/token-profiles.js';
import { type Role, roles } from '../functions/shared/service-definition.js';

/** Negative lifetimes mint an already-expired token, which tests of the 401 path need. */
const expiresInSeconds = z.optional(z.int().check(z.gte(-86_400), z.lte(86_400)));

/** Any caller by its claims, or a user of the sandbox's directory by email (signed in as Cognito would). */
export const tokenRequestSchema = z.union([
  z.strictObject({
    sub: z.string().check(z.minLength(1), z.maxLength(128)),
    tenantId: z.string().check(z.minLength(1), z.maxLength(128)),
    roles: z.array(z.enum(roles)).check(z.minLength(1)),
    expiresInSeconds,
  }),
  z.strictObject({ email: z.email(), expiresInSeconds }),
]);

export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export interface TokenSubject {
  sub: string;
  tenantId: string;
  roles: readonly Role[];
  expiresInSeconds?: number | undefined;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface OidcIssuer {
  issuer: string;
  audience: string;
  jwksUri: string;
  profile: TokenProfile;
  discovery(): Record<string, unknown>;
  jwks(): { keys: JWK[] };
  mintAccessToken(subject: TokenSubject): Promise<TokenResponse>;
}

const defaultLifetimeSeconds = 3600;

export async function createOidcIssuer(options: {
  issuer: string;
  audience: string;
  tokenEndpoint: string;
  profile: TokenProfile;
}): Promise<OidcIssuer> {
  const { issuer, audience, profile } = options;
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = ulid();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwksUri = `${issuer}${profile.jwksPath}`;
  return {
    issuer,
    audience,
    jwksUri,
    profile,
    discovery: () => ({
      issuer,
      jwks_uri: jwksUri,
      token_endpoint: options.tokenEndpoint,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: [
        'sub',
        ...Object.keys(profile.accessToken({ tenantId: 't', roles: [] }, audience).claims),
      ],
    }),
    jwks: () => ({ keys: [publicJwk] }),
    async mintAccessToken(subject) {
      const lifetime = subject.expiresInSeconds ?? defaultLifetimeSeconds;
      const now = Math.floor(Date.now() / 1000);
      const { type, claims } = profile.accessToken(subject, audience);
      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: type })
        .setIssuer(issuer)
        .setSubject(subject.sub)
        .setIssuedAt(Math.min(now, now + lifetime - 1))
        .setExpirationTime(now + lifetime)
        .setJti(ulid())
        .sign(privateKey);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime };
    },
  };
}
