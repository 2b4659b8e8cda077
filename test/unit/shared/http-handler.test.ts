import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { text } from '../../../functions/shared/text.js';
import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';

Object.assign(process.env, {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  CORS_ORIGINS: 'https://app.example.com',
});

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const admin: Caller = { tenantId: 't1', userId: 'u1', roles: ['admin'] };
const member: Caller = { tenantId: 't1', userId: 'u2', roles: ['member'] };
const route = { method: 'POST' as const, path: '/things', handler: 'unused.ts', access: ['admin' as const] };

let echo: Handler;
let failing: Handler;
let publicHealth: Handler;

beforeAll(async () => {
  const { httpHandler, publicHttpHandler } = await import('../../../functions/shared/http-handler.js');
  const { ConflictError } = await import('../../../functions/shared/errors.js');
  const withContext =
    (handler: ReturnType<typeof httpHandler>): Handler =>
    (event) =>
      handler(event, lambdaContext());
  echo = withContext(
    httpHandler({
      route,
      body: z.strictObject({
        name: text({ min: 1, max: 100 }),
        count: z.int().check(z.gte(0), z.lte(10)),
      }),
      query: z.strictObject({ dryRun: z.optional(z.enum(['true', 'false'])) }),
      handle: async ({ body, query, caller, headers }) => ({
        statusCode: 201,
        body: { ...body, query, tenantId: caller.tenantId, ifMatch: headers['if-match'] ?? null },
      }),
    }),
  );
  failing = withContext(
    httpHandler({
      route: { ...route, method: 'GET' },
      handle: async ({ headers }) => {
        if (headers['x-failure'] === 'unexpected') throw new Error('database password is hunter2');
        throw new ConflictError('already there');
      },
    }),
  );
  publicHealth = withContext(
    publicHttpHandler({
      route: {
        method: 'GET',
        path: '/health',
        handler: 'unused.ts',
        access: 'public',
        publicBecause: 'test',
      },
      handle: async () => ({ statusCode: 200, body: { status: 'ok' } }),
    }),
  );
});

const post = (
  json: unknown,
  extra: { headers?: Record<string, string>; body?: string; caller?: typeof admin } = {},
) =>
  apiGatewayEvent({
    method: 'POST',
    resource: '/things',
    path: '/things',
    caller: extra.caller ?? admin,
    ...(extra.body === undefined ? { json } : { body: extra.body }),
    ...(extra.headers ? { headers: extra.headers } : {}),
  });

function problemOf(result: APIGatewayProxyResult) {
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  return JSON.parse(result.body) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    requestId: string;
    errors?: { path: string; message: string }[];
  };
}

describe('httpHandler', () => {
  it('parses, validates and answers JSON with security headers', async () => {
    const result = await echo(post({ name: 'a', count: 2 }));

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({
      name: 'a',
      count: 2,
      query: {},
      tenantId: 't1',
      ifMatch: null,
    });
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'Strict-Transport-Security': expect.stringContaining('max-age='),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('normalises header names', async () => {
    const result = await echo(post({ name: 'a', count: 2 }, { headers: { 'If-Match': '"3"' } }));

    expect(JSON.parse(result.body).ifMatch).toBe('"3"');
  });

  it('answers 400 for malformed JSON', async () => {
    const result = await echo(
      post(undefined, { body: '{"name":', headers: { 'content-type': 'application/json' } }),
    );

    expect(result.statusCode).toBe(400);
    expect(problemOf(result)).toMatchObject({ status: 400, detail: expect.stringContaining('JSON') });
  });

  it('lists every field out of its limits', async () => {
    const result = await echo(post({ name: '', count: 11 }));

    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors?.map((error) => error.path)).toEqual(['/name', '/count']);
  });

  it('rejects unknown fields by name', async () => {
    const result = await echo(post({ name: 'a', count: 1, extra: true }));

    expect(problemOf(result).errors).toEqual([{ path: '/extra', message: 'Unknown field' }]);
  });

  it('rejects a bad query parameter', async () => {
    const event = { ...post({ name: 'a', count: 1 }), queryStringParameters: { dryRun: 'maybe' } };

    const result = await echo(event);

    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors?.[0]?.path).toBe('query.dryRun');
  });

  it('answers 413 for a body over 64 KiB, counting base64 bodies by their decoded size', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(65 * 1024), count: 1 });
    const plain = await echo(post(undefined, { body: big, headers: { 'content-type': 'application/json' } }));
    const encoded = await echo({
      ...post(undefined, {
        body: Buffer.from(big).toString('base64'),
        headers: { 'content-type': 'application/json' },
      }),
      isBase64Encoded: true,
    });

    expect([plain.statusCode, encoded.statusCode]).toEqual([413, 413]);
  });

  it('accepts a base64 body under the limit', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'b', count: 3 })).toString('base64');

    const result = await echo({
      ...post(undefined, { body, headers: { 'content-type': 'application/json' } }),
      isBase64Encoded: true,
    });

    expect(result.statusCode).toBe(201);
  });

  it.each([['text/plain'], ['application/xml'], ['']])(
    'answers 415 for content-type "%s"',
    async (contentType) => {
      const result = await echo(
        post(undefined, { body: '{"name":"a","count":1}', headers: { 'content-type': contentType } }),
      );

      expect(result.statusCode).toBe(415);
    },
  );

  it('accepts application/json with a charset', async () => {
    const result = await echo(
      post(undefined, {
        body: '{"name":"a","count":1}',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }),
    );

    expect(result.statusCode).toBe(201);
  });

  it('answers 403 when no role of the caller is allowed', async () => {
    const result = await echo(post({ name: 'a', count: 1 }, { caller: member }));

    expect(result.statusCode).toBe(403);
  });

  it('answers 401 with WWW-Authenticate when the authorizer context is missing', async () => {
    const event = post({ name: 'a', count: 1 });

    const result = await echo({ ...event, requestContext: { ...event.requestContext, authorizer: null } });

    expect(result.statusCode).toBe(401);
    expect(result.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('maps a domain error to its status with the request id', async () => {
    const event = { ...post(undefined), httpMethod: 'GET', body: null };

    const result = await failing(event);

    expect(result.statusCode).toBe(409);
    expect(problemOf(result)).toMatchObject({
      title: 'Conflict',
      detail: 'already there',
      requestId: event.requestContext.requestId,
    });
  });

  it('answers 400 to any query parameter of a route that declares none, and runs nothing', async () => {
    const event = {
      ...post(undefined),
      httpMethod: 'GET',
      body: null,
      queryStringParameters: { limit: '1' },
    };

    const result = await failing(event);

    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([{ path: 'query.limit', message: 'Unknown field' }]);
  });

  it('echoes a well-formed X-Correlation-Id and replaces anything else with the request id, errors included', async () => {
    const kept = await echo(
      post({ name: 'a', count: 1 }, { headers: { 'X-Correlation-Id': 'client.trace-42_A' } }),
    );
    const replacedEvent = post(
      { name: 'a', count: 1 },
      { headers: { 'X-Correlation-Id': 'has spaces and ✓' } },
    );
    const replaced = await echo(replacedEvent);
    const failed = await echo(post({ name: '', count: 1 }, { headers: { 'X-Correlation-Id': 'c-1' } }));

    expect(kept.headers?.['X-Correlation-Id']).toBe('client.trace-42_A');
    expect(replaced.headers?.['X-Correlation-Id']).toBe(replacedEvent.requestContext.requestId);
    expect(failed.statusCode).toBe(400);
    expect(failed.headers?.['X-Correlation-Id']).toBe('c-1');
  });

  // The trace's annotation is tested with a sampled invocation in sampled-tracing.test.ts.
  it('sets the log key with the correlation id of each request', async () => {
    const { logger } = await import('../../../functions/shared/powertools.js');
    const setLogKey = jest.spyOn(logger, 'setCorrelationId');

    await echo(post({ name: 'a', count: 1 }, { headers: { 'X-Correlation-Id': 'trace-me-1' } }));

    expect(setLogKey).toHaveBeenCalledWith('trace-me-1');
    setLogKey.mockRestore();
  });

  it('names an allowed origin on its answers, errors included, and exposes the headers a page reads', async () => {
    const origin = { Origin: 'https://app.example.com' };

    const created = await echo(post({ name: 'a', count: 1 }, { headers: origin }));
    const invalid = await echo(post({ name: '', count: 1 }, { headers: origin }));

    for (const result of [created, invalid]) {
      expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://app.example.com');
      expect(result.headers?.['Access-Control-Expose-Headers']).toContain('X-Correlation-Id');
      expect(result.headers?.Vary).toBe('Origin');
    }
    expect([created.statusCode, invalid.statusCode]).toEqual([201, 400]);
  });

  it('gives an origin it does not allow no CORS header, and never *', async () => {
    const result = await echo(
      post({ name: 'a', count: 1 }, { headers: { Origin: 'https://evil.example.com' } }),
    );

    expect(Object.keys(result.headers ?? {}).filter((name) => /^access-control-/i.test(name))).toEqual([]);
  });

  it('answers 400 with the path of a text field holding a NUL or a lone surrogate, and runs nothing', async () => {
    for (const name of ['a\\u0000b', '\\ud800']) {
      const result = await echo(post(undefined, { body: `{"name":"${name}","count":1}` }));

      expect(result.statusCode).toBe(400);
      expect(problemOf(result).errors).toEqual([
        { path: '/name', message: expect.stringMatching(/well-formed/) },
      ]);
    }
  });

  it('answers 500 for an unexpected error without leaking it', async () => {
    const event = {
      ...post(undefined, { headers: { 'x-failure': 'unexpected' } }),
      httpMethod: 'GET',
      body: null,
    };

    const result = await failing(event);

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('hunter2');
    expect(problemOf(result).status).toBe(500);
  });
});

describe('publicHttpHandler', () => {
  it('serves without an authorizer context', async () => {
    const event = post(undefined);

    const result = await publicHealth({
      ...event,
      body: null,
      requestContext: { ...event.requestContext, authorizer: null },
    });

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' });
  });
});
