import { createServer, type Server } from 'node:http';
import { tokenProfileNames, tokenProfiles } from '../../../functions/shared/auth/token-profiles.js';
import { createTokenVerifier } from '../../../functions/shared/auth/token-verifier.js';
import { createOidcIssuer, type OidcIssuer } from '../../../sandbox/oidc-issuer.js';

let server: Server;
let baseUrl: string;
const issuers = new Map<string, OidcIssuer>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const issuer = [...issuers.values()].find(
      (candidate) => new URL(candidate.jwksUri).pathname === request.url,
    );
    response.writeHead(issuer ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(issuer ? issuer.jwks() : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function issuerFor(profile: (typeof tokenProfileNames)[number]): Promise<OidcIssuer> {
  const issuer = await createOidcIssuer({
    issuer: `${baseUrl}/${profile}`,
    audience: 'serverless-saas',
    tokenEndpoint: `${baseUrl}/token`,
    profile: tokenProfiles[profile],
  });
  issuers.set(profile, issuer);
  return issuer;
}

describe('the sandbox issuer', () => {
  it.each(tokenProfileNames)(
    'mints %s tokens that the same profile verifies and the others refuse',
    async (name) => {
      const issuer = await issuerFor(name);
      const { access_token: token } = await issuer.mintAccessToken({
        sub: 'u-1',
        tenantId: 't-1',
        roles: ['admin'],
      });

      for (const other of tokenProfileNames) {
        const verify = createTokenVerifier({
          issuer: issuer.issuer,
          audience: 'serverless-saas',
          profile: tokenProfiles[other],
          jwksUri: issuer.jwksUri,
        });
        if (other === name)
          await expect(verify(token)).resolves.toEqual({
            tenantId: 't-1',
            userId: 'u-1',
            roles: ['admin'],
            expiresAt: expect.any(Date),
          });
        else await expect(verify(token)).rejects.toThrow(/Not an access token/);
      }
    },
  );

  it.each(tokenProfileNames)(
    'lets a %s verifier without a configured JWKS URI find the keys where that kind of issuer publishes them',
    async (name) => {
      const issuer = await issuerFor(name);
      const { access_token: token } = await issuer.mintAccessToken({
        sub: 'u-1',
        tenantId: 't-1',
        roles: ['member'],
      });
      const verify = createTokenVerifier({
        issuer: issuer.issuer,
        audience: 'serverless-saas',
        profile: tokenProfiles[name],
      });

      await expect(verify(token)).resolves.toMatchObject({ tenantId: 't-1' });
    },
  );

  it('publishes its keys where the profile expects them and names them in discovery', async () => {
    const issuer = await issuerFor('keycloak');

    expect(issuer.jwksUri).toBe(`${baseUrl}/keycloak/protocol/openid-connect/certs`);
    expect(issuer.discovery()).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
    expect(issuer.jwks().keys[0]).toMatchObject({ alg: 'RS256', use: 'sig', kid: expect.any(String) });
  });

  it('mints an already-expired token when asked for a negative lifetime', async () => {
    const issuer = await issuerFor('oidc');
    const { access_token: token, expires_in: expiresIn } = await issuer.mintAccessToken({
      sub: 'u-1',
      tenantId: 't-1',
      roles: ['member'],
      expiresInSeconds: -60,
    });
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'serverless-saas',
      profile: tokenProfiles.oidc,
      jwksUri: issuer.jwksUri,
    });

    expect(expiresIn).toBe(-60);
    await expect(verify(token)).rejects.toThrow(/expired/);
  });
});
