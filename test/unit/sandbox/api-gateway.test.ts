import { createServer, type Server } from 'node:http';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { type Admission, memoryRateLimiter } from '../../../functions/shared/rate-limits.js';
import { createGateway, type TokenAuthorizer } from '../../../sandbox/api-gateway.js';

let server: Server;
let baseUrl: string;
let decision: APIGatewayAuthorizerResult | 'Unauthorized';
let handlerCalls = 0;
let stageThrottle: (key: string) => Admission = () => ({ admitted: true, tat: 0 });

const policy = (effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult => ({
  principalId: 'u1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
  context: { tenantId: 't1', sub: 'u1', roles: 'admin' },
});

beforeAll(async () => {
  const authorizer: TokenAuthorizer = async () => {
    if (decision === 'Unauthorized') throw new Error('Unauthorized');
    return decision;
  };
  server = createServer(
    createGateway({
      routes: [
        {
          serviceName: 'catalog',
          routeName: 'getProduct',
          definition: { method: 'GET', path: '/products/{id}', handler: 'unused.ts', access: ['admin'] },
          handler: async (event) => {
            handlerCalls += 1;
            return {
              statusCode: 200,
              body: JSON.stringify({
                id: event.pathParameters?.id,
                auth: event.requestContext.authorizer,
                ...(event.multiValueQueryStringParameters
                  ? { multiQuery: event.multiValueQueryStringParameters }
                  : {}),
              }),
            };
          },
        },
      ],
      authorizer,
      devRoutes: [],
      stageThrottle: (key) => stageThrottle(key),
      corsOrigins: ['https://app.example.com', 'http://localhost:*'],
      onError: () => undefined,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  handlerCalls = 0;
});

const get = (path: string, headers: Record<string, string> = { authorization: 'Bearer token' }) =>
  fetch(`${baseUrl}${path}`, { headers });

describe('sandbox API Gateway emulation', () => {
  it('passes an allowed caller to the handler with the authorizer context and path parameters', async () => {
    decision = policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:sandbox/local/*');

    const response = await get('/products/p%201');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'p 1',
      auth: { tenantId: 't1', sub: 'u1', roles: 'admin', principalId: 'u1' },
    });
  });

  it('passes query parameters named like Object.prototype members through, repeated ones as lists', async () => {
    decision = policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:sandbox/local/*');

    const response = await get('/products/p1?toString=a&constructor=b&toString=c');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ multiQuery: { toString: ['a', 'c'], constructor: ['b'] } });
  });

  it('answers 403 when the policy denies the method, without calling the handler', async () => {
    decision = policy('Deny', 'arn:aws:execute-api:us-east-1:000000000000:sandbox/local/*');

    const response = await get('/products/p1');

    expect(response.status).toBe(403);
    expect(handlerCalls).toBe(0);
  });

  it('answers 403 when the allow names another method', async () => {
    decision = policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:sandbox/local/POST/*');

    expect((await get('/products/p1')).status).toBe(403);
  });

  it('answers 401 with WWW-Authenticate without a token or when the authorizer says Unauthorized', async () => {
    decision = 'Unauthorized';

    const missing = await get('/products/p1', {});
    const refused = await get('/products/p1');

    expect([missing.status, refused.status]).toEqual([401, 401]);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(handlerCalls).toBe(0);
  });

  it('throttles the stage as API Gateway does: 429 problem+json with Retry-After, before the authorizer and the handler', async () => {
    decision = 'Unauthorized';
    stageThrottle = memoryRateLimiter({ requests: 1, perSeconds: 60, burst: 2 });

    const statuses = [];
    for (let request = 0; request < 3; request += 1) statuses.push(await get('/products/p1'));
    stageThrottle = () => ({ admitted: true, tat: 0 });

    expect(statuses.map((response) => response.status)).toEqual([401, 401, 429]);
    const throttled = statuses[2] as Response;
    expect(throttled.headers.get('content-type')).toBe('application/problem+json');
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(await throttled.json()).toMatchObject({
      status: 429,
      type: 'urn:serverless-saas:problem:rate-limited',
    });
    expect(handlerCalls).toBe(0);
  });

  it('answers 404 problem for an unknown route or method', async () => {
    decision = policy('Allow', '*');

    const unknownPath = await get('/nothing');
    const unknownMethod = await fetch(`${baseUrl}/products/p1`, { method: 'DELETE' });

    expect([unknownPath.status, unknownMethod.status]).toEqual([404, 404]);
    expect(unknownPath.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers a preflight from an allowed origin with the methods and headers of the path, 204', async () => {
    const response = await fetch(`${baseUrl}/products/p1`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(handlerCalls).toBe(0);
  });

  it('gives an origin it does not allow no CORS header, on a preflight or an answer', async () => {
    decision = 'Unauthorized';
    const origin = 'https://evil.example.com';

    const preflight = await fetch(`${baseUrl}/products/p1`, { method: 'OPTIONS', headers: { origin } });
    const refused = await get('/products/p1', { authorization: 'Bearer bad', origin });
    const lookalike = await get('/products/p1', { origin: 'http://localhost.evil.example.com:80' });

    for (const response of [preflight, refused, lookalike]) {
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it("names an allowed origin on the gateway's own answers, and exposes the headers a page reads", async () => {
    decision = 'Unauthorized';

    const response = await get('/products/p1', {
      authorization: 'Bearer bad',
      origin: 'https://app.example.com',
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers a malformed percent-encoding in the path with a 400 problem, not a failure', async () => {
    decision = policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:sandbox/local/*');

    const response = await get('/products/%E0%A4%A');

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(handlerCalls).toBe(0);
  });
});
