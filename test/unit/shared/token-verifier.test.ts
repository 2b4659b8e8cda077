import { generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier } from '../../../functions/shared/auth/token-verifier.js';
import { defaultClaims, startTestIssuer, type TestIssuer, unsignedToken } from '../../fixtures/tokens.js';

let issuer: TestIssuer;
let verify: (token: string) => Promise<unknown>;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwksUri: issuer.jwksUri });
});

afterAll(() => issuer.close());

/** The reason each bad token is refused: proves the intended check fired, not an incidental one. */
const expectedRejections: Record<string, RegExp> = {
  expired: /expired/,
  'from another issuer': /Issuer not allowed/,
  'for another audience': /Audience mismatch/,
  'an id token': /Not an access token/,
  'without tenant_id': /tenant_id/,
  'signed with an unknown key id': /JWK/,
  'unsigned (alg none)': /JWT string|signature/,
  'tampered after signing': /Invalid signature/,
  'signed by a key the issuer does not publish': /Invalid signature/,
  'HS256 signed with the public key as secret': /algorithm not allowed: HS256/,
  'without exp': /no expiry/,
};

describe('createTokenVerifier', () => {
  it('returns the caller of a valid access token', async () => {
    const token = await issuer.sign();

    await expect(verify(token)).resolves.toEqual({
      tenantId: 'tenant-1',
      userId: 'user-1',
      roles: ['admin'],
      expiresAt: expect.any(Date),
    });
  });

  it('accepts a Cognito-style token that carries client_id instead of aud', async () => {
    const token = await issuer.sign({ ...defaultClaims, client_id: issuer.audience });

    await expect(verify(token)).resolves.toMatchObject({ tenantId: 'tenant-1' });
  });

  it('keeps only known roles', async () => {
    const token = await issuer.sign({ ...defaultClaims, 'cognito:groups': ['member', 'root'] });

    await expect(verify(token)).resolves.toMatchObject({ roles: ['member'] });
  });

  it.each([
    ['expired', () => issuer.sign(defaultClaims, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['from another issuer', () => issuer.sign({ ...defaultClaims, iss: 'https://evil.example.com' })],
    ['for another audience', () => issuer.sign({ ...defaultClaims, aud: 'other-app' })],
    ['an id token', () => issuer.sign({ ...defaultClaims, token_use: 'id' })],
    [
      'without tenant_id',
      () => issuer.sign({ sub: 'user-1', 'cognito:groups': ['admin'], token_use: 'access' }),
    ],
    ['signed with an unknown key id', () => issuer.sign(defaultClaims, { kid: 'other-key' })],
    [
      'unsigned (alg none)',
      async () =>
        unsignedToken({
          ...defaultClaims,
          iss: issuer.issuer,
          aud: issuer.audience,
          exp: Math.floor(Date.now() / 1000) + 60,
        }),
    ],
    [
      'tampered after signing',
      async () => {
        const [header, payload, signature] = (await issuer.sign()).split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, tenant_id: 'tenant-2' })).toString(
          'base64url',
        );
        return `${header}.${forged}.${signature}`;
      },
    ],
    [
      'signed by a key the issuer does not publish',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(defaultClaims)
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setIssuer(issuer.issuer)
          .setAudience(issuer.audience)
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    [
      'HS256 signed with the public key as secret',
      async () =>
        new SignJWT(defaultClaims)
          .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
          .setIssuer(issuer.issuer)
          .setAudience(issuer.audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('not-the-private-key')),
    ],
    ['without exp', () => issuer.sign(defaultClaims, { expiresIn: null })],
  ])('rejects a token %s', async (label, makeToken) => {
    const token = await makeToken();

    await expect(verify(token)).rejects.toThrow(expectedRejections[label]);
  });
});
