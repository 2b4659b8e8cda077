/**
 * Access-token verification on aws-jwt-verify: RS256 only, issuer, audience, expiry, the profile's
 * access-token check (see token-profiles.ts), and a JWKS fetched once and cached per key id. The
 * JWKS travels over https, or over plain http from a loopback issuer (the sandbox) only, or from
 * the Docker host to LocalStack's Lambda containers (host.docker.internal, which nothing in AWS resolves).
 *
 * @example
 * const verify = createTokenVerifier({ issuer, audience, profile: tokenProfile('keycloak') });
 * const caller = await verify(token);
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { requiredEnv } from '../env.js';
import { type Caller, isRole, type VerifiedCaller } from './caller.js';
import { type TokenProfile, tenantClaim, tokenProfile } from './token-profiles.js';

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Defaults to `cognito`. */
  profile?: TokenProfile;
  /** Defaults to the issuer plus the profile's JWKS path. */
  jwksUri?: string;
}

const fetchTimeoutMs = 3000;

const loopbackHosts = new Set(['localhost', '[::1]', 'host.docker.internal']);
const isLoopback = (hostname: string) => loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);

/** Keys fetched over plain http could be swapped on the way: only an issuer on this machine may use it. */
export function assertJwksUriAllowed(jwksUri: string): void {
  const url = new URL(jwksUri);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  throw new Error(`JWKS URI ${jwksUri} must use https (plain http is allowed for loopback issuers only)`);
}

/**
 * aws-jwt-verify's own fetcher speaks only https, and the sandbox's issuer serves its JWKS over
 * http on loopback, so the JWKS is fetched with the runtime's fetch (the URI was checked above).
 */
const jwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(fetchTimeoutMs) });
    if (!response.ok) throw new Error(`JWKS fetch from ${uri} failed with HTTP ${response.status}`);
    return response.arrayBuffer();
  },
};

export function callerFromClaims(profile: TokenProfile, payload: Readonly<Record<string, unknown>>): Caller {
  const { sub } = payload;
  const tenantId = payload[tenantClaim];
  if (typeof sub !== 'string' || sub === '' || typeof tenantId !== 'string' || tenantId === '') {
    throw new Error(`Token lacks sub or ${tenantClaim}`);
  }
  const roles = profile.roles(payload);
  return { tenantId, userId: sub, roles: Array.isArray(roles) ? roles.filter(isRole) : [] };
}

export function createTokenVerifier(config: TokenVerifierConfig): (token: string) => Promise<VerifiedCaller> {
  const profile = config.profile ?? tokenProfile(undefined);
  const jwksUri = config.jwksUri ?? `${config.issuer.replace(/\/$/, '')}${profile.jwksPath}`;
  assertJwksUriAllowed(jwksUri);
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      audience: null,
      jwksUri,
      customJwtCheck: ({ header, payload }) => {
        if (header.alg !== 'RS256') throw new Error(`Algorithm ${String(header.alg)} is not accepted`);
        profile.assertAccessToken(header, payload);
        if (typeof payload.exp !== 'number') throw new Error('Token has no expiry');
        if (!profile.audiences(payload).includes(config.audience)) throw new Error('Audience mismatch');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
  return async (token) => {
    const payload = await verifier.verify(token);
    return { ...callerFromClaims(profile, payload), expiresAt: new Date(Number(payload.exp) * 1000) };
  };
}

/** The verifier every entry point uses (REST authorizer, WebSocket `$connect`), configured from the environment. */
export function tokenVerifierFromEnvironment(): (token: string) => Promise<VerifiedCaller> {
  const jwksUri = process.env.AUTH_JWKS_URI;
  return createTokenVerifier({
    issuer: requiredEnv('AUTH_ISSUER'),
    audience: requiredEnv('AUTH_AUDIENCE'),
    profile: tokenProfile(process.env.AUTH_PROFILE),
    ...(jwksUri ? { jwksUri } : {}),
  });
}
