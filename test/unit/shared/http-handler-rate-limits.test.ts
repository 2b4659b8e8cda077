import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { contractRateLimits } from '../../../functions/shared/rate-limits.js';
import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';

Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  RATE_LIMIT_TABLE_NAME: 'rate-limits-test',
  RATE_LIMITS: JSON.stringify(contractRateLimits),
});

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const ddb = mockClient(DynamoDBDocumentClient);
// Each test has buckets of its own: the limiter remembers the buckets it has seen.
let caller: { tenantId: string; userId: string; roles: ['admin'] };
let testNumber = 0;
let handled = 0;
let protectedRoute: Handler;
let readRoute: Handler;
let signUp: Handler;

beforeAll(async () => {
  const { httpHandler, publicHttpHandler } = await import('../../../functions/shared/http-handler.js');
  const protectedHandler = httpHandler({
    route: { method: 'POST', path: '/things', handler: 'unused.ts', access: ['admin'] },
    handle: async () => {
      handled += 1;
      return { statusCode: 201, body: {} };
    },
  });
  const signUpHandler = publicHttpHandler({
    route: {
      method: 'POST',
      path: '/tenants',
      handler: 'unused.ts',
      access: 'public',
      publicBecause: 'test',
      limitedAsSignUp: true,
    },
    handle: async () => {
      handled += 1;
      return { statusCode: 201, body: {} };
    },
  });
  const readHandler = httpHandler({
    route: { method: 'GET', path: '/things', handler: 'unused.ts', access: ['admin'] },
    handle: async () => {
      handled += 1;
      return { statusCode: 200, body: { secret: 'data' } };
    },
  });
  protectedRoute = (event) => protectedHandler(event, lambdaContext());
  readRoute = (event) => readHandler(event, lambdaContext());
  signUp = (event) => signUpHandler(event, lambdaContext());
});

beforeEach(() => {
  ddb.reset();
  handled = 0;
  testNumber += 1;
  caller = { tenantId: `t${testNumber}`, userId: 'u1', roles: ['admin'] };
});

const post = (path: string) =>
  apiGatewayEvent({
    method: 'POST',
    resource: path,
    path,
    caller,
    json: {},
    headers: { 'X-Correlation-Id': 'c-1' },
  });

/** What DynamoDB answers when the bucket holds `tat`: both conditional writes fail. */
function bucketAt(tat: number) {
  ddb.on(UpdateCommand).rejects(
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: { tat: { N: String(tat) } },
    }),
  );
}

describe('the handler factory under rate limits', () => {
  it("counts a request against its user's and its tenant's buckets before handling it", async () => {
    ddb.on(UpdateCommand).resolves({});

    const response = await protectedRoute(post('/things'));

    expect(response.statusCode).toBe(201);
    expect(handled).toBe(1);
    const keys = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(keys.map((input) => [input.TableName, input.Key?.PK]).sort()).toEqual([
      ['rate-limits-test', `T#${caller.tenantId}#RATE#TENANT`],
      ['rate-limits-test', `T#${caller.tenantId}#RATE#USER#u1`],
    ]);
  });

  it('answers 429 problem+json with Retry-After and the correlation id, and never runs the handler', async () => {
    bucketAt(Date.now() + 60_000);

    const response = await protectedRoute(post('/things'));

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'X-Correlation-Id': 'c-1',
    });
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThanOrEqual(58);
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'urn:serverless-saas:problem:rate-limited',
      status: 429,
      title: 'Too Many Requests',
    });
    expect(handled).toBe(0);
  });

  it('runs a read beside its admission, but answers 429 and none of its data when refused', async () => {
    bucketAt(Date.now() + 60_000);

    const response = await readRoute(
      apiGatewayEvent({ method: 'GET', resource: '/things', path: '/things', caller }),
    );

    expect(response.statusCode).toBe(429);
    expect(response.body).not.toContain('secret');
    expect(handled).toBe(1);
  });

  it('counts sign-ups per source address and route', async () => {
    ddb.on(UpdateCommand).resolves({});

    await signUp(post('/tenants'));
    bucketAt(Date.now() + 60_000);
    const refused = await signUp(post('/tenants'));

    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.Key?.PK).toMatch(/^RATE#SOURCE#POST \/tenants#/);
    expect(refused.statusCode).toBe(429);
    expect(handled).toBe(1);
  });

  it('lets the request through when the bucket store itself fails', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const response = await protectedRoute(post('/things'));

    expect(response.statusCode).toBe(201);
    expect(handled).toBe(1);
  });
});
