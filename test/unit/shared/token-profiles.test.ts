import {
  type TokenProfileName,
  tokenProfile,
  tokenProfileNames,
  tokenProfiles,
} from '../../../functions/shared/auth/token-profiles.js';
import { assertJwksUriAllowed, createTokenVerifier } from '../../../functions/shared/auth/token-verifier.js';
import { startTestIssuer, type TestIssuer } from '../../fixtures/tokens.js';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer('shop-web');
});

afterAll(() => issuer.close());

const verifierFor = (profile: TokenProfileName) =>
  createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    profile: tokenProfiles[profile],
    jwksUri: issuer.jwksUri,
  });

/**
 * Access tokens as each kind of issuer writes them, claim for claim (the ones the platform reads
 * and the usual ones it ignores), not derived from the profiles under test.
 */
const realTokens: Record<TokenProfileName, () => Promise<string>> = {
  cognito: () =>
    issuer.sign({
      sub: 'a1b2c3d4-0000-4000-8000-000000000001',
      'cognito:groups': ['admin'],
      iss: issuer.issuer,
      version: 2,
      client_id: issuer.audience,
      origin_jti: '7f0e6b1c-0000-4000-8000-000000000002',
      event_id: '5e1c2d3f-0000-4000-8000-000000000003',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: Math.floor(Date.now() / 1000),
      jti: '0c9d8e7f-0000-4000-8000-000000000004',
      username: 'a1b2c3d4-0000-4000-8000-000000000001',
      tenant_id: 'tenant-1',
    }),
  keycloak: () =>
    issuer.sign({
      jti: 'onrtac:6f1c2a4e-0000-4000-8000-000000000005',
      iss: issuer.issuer,
      aud: 'account',
      sub: 'a1b2c3d4-0000-4000-8000-000000000001',
      typ: 'Bearer',
      azp: issuer.audience,
      sid: '9e8d7c6b-0000-4000-8000-000000000006',
      acr: '1',
      'allowed-origins': ['https://shop.example.com'],
      realm_access: { roles: ['default-roles-shop', 'offline_access', 'uma_authorization', 'admin'] },
      resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
      scope: 'openid profile email',
      email_verified: true,
      preferred_username: 'ada',
      tenant_id: 'tenant-1',
    }),
  oidc: () =>
    issuer.sign(
      {
        iss: issuer.issuer,
        sub: 'a1b2c3d4-0000-4000-8000-000000000001',
        aud: ['https://api.shop.example.com', issuer.audience],
        client_id: issuer.audience,
        jti: '3a2b1c0d-0000-4000-8000-000000000007',
        scope: 'orders:write',
        roles: ['admin'],
        tenant_id: 'tenant-1',
      },
      { typ: 'at+jwt' },
    ),
};

const expectedCaller = {
  tenantId: 'tenant-1',
  userId: 'a1b2c3d4-0000-4000-8000-000000000001',
  roles: ['admin'],
  expiresAt: expect.any(Date),
};

describe('token profiles', () => {
  const pairs = tokenProfileNames.flatMap((issued) =>
    tokenProfileNames.map((verifiedAs) => [issued, verifiedAs] as const),
  );

  it.each(pairs.filter(([issued, verifiedAs]) => issued === verifiedAs))(
    'accepts a real %s access token under its own profile',
    async (issued, verifiedAs) => {
      await expect(verifierFor(verifiedAs)(await realTokens[issued]())).resolves.toEqual(expectedCaller);
    },
  );

  it.each(pairs.filter(([issued, verifiedAs]) => issued !== verifiedAs))(
    'rejects a %s access token under the %s profile',
    async (issued, verifiedAs) => {
      await expect(verifierFor(verifiedAs)(await realTokens[issued]())).rejects.toThrow(
        /Not an access token/,
      );
    },
  );

  it.each(tokenProfileNames)(
    'accepts the %s tokens the sandbox issuer mints from the profile',
    async (name) => {
      const { type, claims } = tokenProfiles[name].accessToken(
        { tenantId: 'tenant-1', roles: ['member'] },
        issuer.audience,
      );
      const token = await issuer.sign({ sub: 'u-1', ...claims }, { typ: type });

      await expect(verifierFor(name)(token)).resolves.toEqual({
        tenantId: 'tenant-1',
        userId: 'u-1',
        roles: ['member'],
        expiresAt: expect.any(Date),
      });
    },
  );

  it.each([
    [
      'cognito',
      { sub: 'u-1', tenant_id: 't', token_use: 'id', aud: 'shop-web', 'cognito:groups': ['admin'] },
      'JWT',
    ],
    ['keycloak', { sub: 'u-1', tenant_id: 't', typ: 'ID', azp: 'shop-web', aud: 'shop-web' }, 'JWT'],
    ['oidc', { sub: 'u-1', tenant_id: 't', aud: 'shop-web', roles: ['admin'] }, 'JWT'],
  ] as const)('rejects a %s ID token', async (name, claims, typ) => {
    await expect(verifierFor(name)(await issuer.sign(claims, { typ }))).rejects.toThrow(
      /Not an access token/,
    );
  });

  it('rejects a Keycloak token issued to another client (azp), whatever its aud says', async () => {
    const token = await issuer.sign({
      sub: 'u-1',
      tenant_id: 't',
      typ: 'Bearer',
      azp: 'other',
      aud: 'shop-web',
    });

    await expect(verifierFor('keycloak')(token)).rejects.toThrow(/Audience mismatch/);
  });

  it("reads roles only from the profile's own claim", async () => {
    const token = await issuer.sign(
      { sub: 'u-1', tenant_id: 't', aud: 'shop-web', roles: ['member'], 'cognito:groups': ['admin'] },
      { typ: 'at+jwt' },
    );

    await expect(verifierFor('oidc')(token)).resolves.toMatchObject({ roles: ['member'] });
  });

  it('defaults to cognito and refuses an unknown profile name', () => {
    expect(tokenProfile(undefined).name).toBe('cognito');
    expect(tokenProfile('').name).toBe('cognito');
    expect(() => tokenProfile('auth0')).toThrow(/Unknown auth profile "auth0"/);
  });
});

describe('JWKS transport', () => {
  it.each([
    'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
    'http://127.0.0.1:3000/_dev/issuer/.well-known/jwks.json',
    'http://127.9.8.7/keys',
    'http://localhost:8080/realms/shop/protocol/openid-connect/certs',
    'http://[::1]:3000/keys',
    'http://host.docker.internal:3000/_dev/issuer/.well-known/jwks.json',
  ])('allows %s', (uri) => {
    expect(() => assertJwksUriAllowed(uri)).not.toThrow();
  });

  it.each([
    'http://keycloak.example.com/realms/shop/protocol/openid-connect/certs',
    'http://10.0.0.5/keys',
    'http://127.0.0.1.example.com/keys',
    'http://host.docker.internal.example.com/keys',
    'ftp://127.0.0.1/keys',
  ])('refuses %s', (uri) => {
    expect(() => assertJwksUriAllowed(uri)).toThrow(/must use https/);
  });

  it('refuses to build a verifier for an http issuer that is not on loopback', () => {
    expect(() => createTokenVerifier({ issuer: 'http://issuer.example.com', audience: 'a' })).toThrow(
      /must use https/,
    );
  });
});
