import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { startTestIssuer, type TestIssuer } from '../../fixtures/tokens.js';

let issuer: TestIssuer;
let handler: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:api1234567/prod/GET/products/01J';
const tokenEvent = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn,
});

beforeAll(async () => {
  issuer = await startTestIssuer();
  Object.assign(process.env, {
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    AUTH_JWKS_URI: issuer.jwksUri,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  ({ handler } = await import('../../../functions/platform/handlers/authorizer.js'));
});

afterAll(() => issuer.close());

describe('token authorizer', () => {
  it('allows every method of the stage and passes the caller as context', async () => {
    const token = await issuer.sign();

    const result = await handler(tokenEvent(`Bearer ${token}`));

    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:eu-west-1:123456789012:api1234567/prod/*',
          },
        ],
      },
      // The token's expiry in epoch seconds: a WebSocket connection lives no longer than its token.
      context: {
        tenantId: 'tenant-1',
        sub: 'user-1',
        roles: 'admin',
        expiresAt: expect.stringMatching(/^\d{10}$/),
      },
    });
  });

  it.each([
    ['an empty header', ''],
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a malformed token', 'Bearer not.a.token'],
  ])('answers Unauthorized for %s', async (_, header) => {
    await expect(handler(tokenEvent(header))).rejects.toThrow(/^Unauthorized$/);
  });

  it('answers Unauthorized for an expired token', async () => {
    const token = await issuer.sign(undefined, { expiresIn: Math.floor(Date.now() / 1000) - 5 });

    await expect(handler(tokenEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  });
});
