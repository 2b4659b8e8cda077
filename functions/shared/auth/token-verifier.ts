/**
 * Access-token verification on aws-jwt-verify: RS256 only, issuer, audience (`aud`, or Cognito's
 * `client_id`), expiry, `token_use=access`, and a JWKS fetched once and cached per key id.
 *
 * @example
 * const verify = createTokenVerifier({ issuer, audience, jwksUri });
 * const caller = await verify(token);
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { type Caller, isRole } from './caller.js';

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Defaults to `<issuer>/.well-known/jwks.json` (Cognito's and the sandbox issuer's location). */
  jwksUri?: string;
}

const fetchTimeoutMs = 3000;

/**
 * aws-jwt-verify's own fetcher speaks only https; local OIDC issuers (the sandbox, LocalStack)
 * serve their JWKS over http, so the JWKS is fetched with the runtime's fetch instead.
 */
const jwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(fetchTimeoutMs) });
    if (!response.ok) throw new Error(`JWKS fetch from ${uri} failed with HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

function audienceMatches(payload: JwtPayload, audience: string): boolean {
  const { aud, client_id: clientId } = payload;
  if (Array.isArray(aud)) return aud.includes(audience);
  return aud === audience || clientId === audience;
}

export function callerFromClaims(payload: JwtPayload): Caller {
  const { sub, tenant_id: tenantId } = payload;
  const groups = payload['cognito:groups'];
  if (typeof sub !== 'string' || typeof tenantId !== 'string' || tenantId === '') {
    throw new Error('Token lacks sub or tenant_id');
  }
  return { tenantId, userId: sub, roles: Array.isArray(groups) ? groups.filter(isRole) : [] };
}

export function createTokenVerifier(config: TokenVerifierConfig): (token: string) => Promise<Caller> {
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      audience: null,
      jwksUri: config.jwksUri ?? `${config.issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ header, payload }) => {
        if (header.alg !== 'RS256') throw new Error(`Algorithm ${String(header.alg)} is not accepted`);
        if (payload.token_use !== 'access') throw new Error('Not an access token');
        if (typeof payload.exp !== 'number') throw new Error('Token has no expiry');
        if (!audienceMatches(payload, config.audience)) throw new Error('Audience mismatch');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
  return async (token) => callerFromClaims(await verifier.verify(token));
}
