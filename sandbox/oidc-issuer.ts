/**
 * A standard OIDC issuer for offline use: discovery document, JWKS (RS256, with `kid`) and access
 * tokens shaped like the ones the Cognito pre-token-generation trigger produces in AWS
 * (`sub`, `tenant_id`, `cognito:groups`, `token_use=access`, `client_id`).
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { roles } from '../functions/shared/service-definition.js';

export const tokenRequestSchema = z.strictObject({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  tenantId: z.string().check(z.minLength(1), z.maxLength(128)),
  roles: z.array(z.enum(roles)).check(z.minLength(1)),
  /** Negative values mint an already-expired token, which tests of the 401 path need. */
  expiresInSeconds: z.optional(z.int().check(z.gte(-86_400), z.lte(86_400))),
});

export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface OidcIssuer {
  issuer: string;
  audience: string;
  jwksUri: string;
  discovery(): Record<string, unknown>;
  jwks(): { keys: JWK[] };
  mintAccessToken(request: TokenRequest): Promise<TokenResponse>;
}

const defaultLifetimeSeconds = 3600;

export async function createOidcIssuer(
  issuer: string,
  audience: string,
  tokenEndpoint: string,
): Promise<OidcIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = ulid();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  return {
    issuer,
    audience,
    jwksUri,
    discovery: () => ({
      issuer,
      jwks_uri: jwksUri,
      token_endpoint: tokenEndpoint,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'tenant_id', 'cognito:groups', 'token_use', 'client_id'],
    }),
    jwks: () => ({ keys: [publicJwk] }),
    async mintAccessToken(request) {
      const lifetime = request.expiresInSeconds ?? defaultLifetimeSeconds;
      const now = Math.floor(Date.now() / 1000);
      const accessToken = await new SignJWT({
        tenant_id: request.tenantId,
        'cognito:groups': request.roles,
        token_use: 'access',
        client_id: audience,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(request.sub)
        .setIssuedAt(Math.min(now, now + lifetime - 1))
        .setExpirationTime(now + lifetime)
        .setJti(ulid())
        .sign(privateKey);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime };
    },
  };
}
