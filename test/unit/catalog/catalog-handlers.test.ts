import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';

Object.assign(process.env, {
  CATALOG_TABLE_NAME: 'catalog-test',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

type Handler = (
  event: APIGatewayProxyEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyResult>;

const ddb = mockClient(DynamoDBDocumentClient);
const admin = { tenantId: 't1', userId: 'u1', roles: ['admin' as const] };
const stored = {
  PK: 'T#t1',
  SK: 'PRODUCT#p1',
  entityType: 'PRODUCT',
  productId: 'p1',
  sku: 'MUG-1',
  name: 'Mug',
  priceCents: 1200,
  currency: 'EUR',
  stock: 4,
  version: 3,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
};

const handlers: Record<string, Handler> = {};

beforeAll(async () => {
  for (const name of ['create-product', 'get-product', 'list-products', 'update-product']) {
    handlers[name] = (
      (await import(`../../../functions/catalog/handlers/${name}.js`)) as { handler: Handler }
    ).handler;
  }
});

beforeEach(() => ddb.reset());

const invoke = (name: string, event: APIGatewayProxyEvent) =>
  (handlers[name] as Handler)(event, lambdaContext());
const body = (result: APIGatewayProxyResult) => JSON.parse(result.body);

describe('POST /products handler', () => {
  const create = (json: unknown) =>
    invoke(
      'create-product',
      apiGatewayEvent({ method: 'POST', resource: '/products', path: '/products', caller: admin, json }),
    );

  it('writes the product, its sku guard and ProductCreated in one transaction (201)', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const result = await create({ sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 4 });

    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ Location: `/products/${body(result).productId}`, ETag: '"1"' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.entityType)).toEqual(['PRODUCT', 'SKU', 'OUTBOX']);
    expect(items.map((item) => item.Put?.Item?.PK)).toEqual([
      'T#t1',
      'T#t1',
      expect.stringMatching(/^T#t1#OUTBOX#/),
    ]);
  });

  it('answers 409 when the sku guard condition fails', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    const result = await create({ sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 4 });

    expect(result.statusCode).toBe(409);
  });

  it('writes nothing for an invalid body (400)', async () => {
    const result = await create({ sku: 'MUG-1' });

    expect(result.statusCode).toBe(400);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /products/{id} handler', () => {
  const get = (id: string) =>
    invoke(
      'get-product',
      apiGatewayEvent({
        method: 'GET',
        resource: '/products/{id}',
        path: `/products/${id}`,
        caller: admin,
        pathParameters: { id },
      }),
    );

  it('returns the product without its keys (200)', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });

    const result = await get('p1');

    expect(result.statusCode).toBe(200);
    expect(body(result)).not.toHaveProperty('PK');
    expect(body(result)).toMatchObject({ productId: 'p1', version: 3 });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ PK: 'T#t1', SK: 'PRODUCT#p1' });
  });

  it('answers 404 for a missing product', async () => {
    ddb.on(GetCommand).resolves({});

    expect((await get('p9')).statusCode).toBe(404);
  });
});

describe('GET /products handler', () => {
  const list = (query?: Record<string, string>) =>
    invoke(
      'list-products',
      apiGatewayEvent({
        method: 'GET',
        resource: '/products',
        path: '/products',
        caller: admin,
        ...(query ? { query } : {}),
      }),
    );

  it('queries the tenant partition with the limit and returns a cursor', async () => {
    ddb.on(QueryCommand).resolves({ Items: [stored], LastEvaluatedKey: { PK: 'T#t1', SK: 'PRODUCT#p1' } });

    const result = await list({ limit: '1' });

    expect(result.statusCode).toBe(200);
    expect(body(result)).toEqual({
      items: [expect.objectContaining({ productId: 'p1' })],
      nextCursor: expect.any(String),
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      Limit: 1,
      ExpressionAttributeValues: { ':pk': 'T#t1' },
    });
  });

  it('uses 20 items per page by default', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await list();

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.Limit).toBe(20);
  });
});

describe('PATCH /products/{id} handler', () => {
  const patch = (json: unknown, headers: Record<string, string> = {}) =>
    invoke(
      'update-product',
      apiGatewayEvent({
        method: 'PATCH',
        resource: '/products/{id}',
        path: '/products/p1',
        caller: admin,
        pathParameters: { id: 'p1' },
        json,
        headers,
      }),
    );

  it('replaces the product at the version it read, with ProductUpdated (200)', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(TransactWriteCommand).resolves({});

    const result = await patch({ stock: 9 }, { 'If-Match': '"3"' });

    expect(result.statusCode).toBe(200);
    expect(result.headers?.ETag).toBe('"4"');
    const [put, event] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(put?.Put?.ExpressionAttributeValues).toEqual({ ':expected': 3 });
    expect(event?.Put?.Item?.detailType).toBe('ProductUpdated');
  });

  it('answers 412 for a stale If-Match without writing', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });

    const result = await patch({ stock: 9 }, { 'If-Match': '"2"' });

    expect(result.statusCode).toBe(412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 for an If-Match that is not a version', async () => {
    const result = await patch({ stock: 9 }, { 'If-Match': 'banana' });

    expect(result.statusCode).toBe(400);
    expect(ddb.calls()).toHaveLength(0);
  });
});
