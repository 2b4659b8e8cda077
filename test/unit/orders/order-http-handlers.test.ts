import './support/handler-environment.js';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as getOrder } from '../../../functions/orders/handlers/get-order.js';
import { handler as listOrders } from '../../../functions/orders/handlers/list-orders.js';
import { handler as placeOrder } from '../../../functions/orders/handlers/place-order.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { encodeCursor } from '../../../functions/shared/dynamodb.js';
import { requestFingerprint } from '../../../functions/shared/idempotency.js';
import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';
import { ordersTableName } from './support/handler-environment.js';

const dynamoDb = mockClient(DynamoDBDocumentClient);

const member: Caller = { tenantId: 't1', userId: 'u-1', roles: ['member'] };
const otherMember: Caller = { tenantId: 't1', userId: 'u-2', roles: ['member'] };
const admin: Caller = { tenantId: 't1', userId: 'admin-1', roles: ['admin'] };

const orderBody = { items: [{ productId: 'p-1', quantity: 2 }], paymentToken: 'tok_ok' };
const orderId = '01JD0000000000000000000001';

/** An order item as the repository stores it: keys, owner and claim included. */
const storedOrder = (overrides: Record<string, unknown> = {}) => ({
  PK: 'T#t1',
  SK: `ORDER#${orderId}`,
  GSI1PK: 'T#t1#USER#u-1',
  GSI1SK: `ORDER#${orderId}`,
  entityType: 'ORDER',
  orderId,
  userId: 'u-1',
  status: 'CONFIRMED',
  items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'EUR',
  invoiceId: 'inv-1',
  claimedBy: 'arn:aws:states:eu-west-1:123456789012:execution:order-saga:1',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:03.000Z',
  ...overrides,
});

/** The same order as the contract shows it: no keys, no owner, no claim. */
const orderView = {
  orderId,
  status: 'CONFIRMED',
  items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'EUR',
  invoiceId: 'inv-1',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:03.000Z',
};

const post = (json: unknown, headers: Record<string, string> = {}, caller = member) =>
  placeOrder(
    apiGatewayEvent({ method: 'POST', resource: '/orders', path: '/orders', caller, json, headers }),
    lambdaContext(),
  );

const get = (id: string, caller = member) =>
  getOrder(
    apiGatewayEvent({
      method: 'GET',
      resource: '/orders/{id}',
      path: `/orders/${id}`,
      pathParameters: { id },
      caller,
    }),
    lambdaContext(),
  );

const list = (query: Record<string, string> = {}, caller = member) =>
  listOrders(
    apiGatewayEvent({ method: 'GET', resource: '/orders', path: '/orders', query, caller }),
    lambdaContext(),
  );

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

/** Asserts an RFC 9457 problem with the given status and returns its body. */
function problem(result: APIGatewayProxyResult, status: number) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  const body = json(result);
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^urn:serverless-saas:problem:/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      requestId: expect.stringMatching(/^request-/),
    }),
  );
  return body;
}

function cancelledTransaction(...codes: string[]) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

const transactItems = () => dynamoDb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

beforeEach(() => {
  dynamoDb.reset();
});

describe('POST /orders', () => {
  it('answers 202 with the PENDING order and its Location', async () => {
    dynamoDb.on(TransactWriteCommand).resolves({});

    const result = await post(orderBody);

    expect(result.statusCode).toBe(202);
    const body = json(result);
    expect(body).toEqual({
      orderId: expect.any(String),
      status: 'PENDING',
      items: [{ productId: 'p-1', quantity: 2 }],
      createdAt: expect.any(String),
      updatedAt: body.createdAt,
    });
    expect(result.headers?.Location).toBe(`/orders/${body.orderId}`);
    expect(result.headers?.['Idempotent-Replayed']).toBeUndefined();
  });

  it('writes the order with its payment token and its OrderPlaced event, without the token, in one transaction', async () => {
    dynamoDb.on(TransactWriteCommand).resolves({});

    const body = json(await post(orderBody));

    const items = transactItems();
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      TableName: ordersTableName,
      Item: {
        PK: 'T#t1',
        SK: `ORDER#${body.orderId}`,
        GSI1PK: 'T#t1#USER#u-1',
        GSI1SK: `ORDER#${body.orderId}`,
        userId: 'u-1',
        status: 'PENDING',
        paymentToken: 'tok_ok',
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(items[1]?.Put?.Item).toMatchObject({
      PK: expect.stringMatching(/^T#t1#OUTBOX#/),
      detailType: 'OrderPlaced',
      detail: {
        metadata: { tenantId: 't1', correlationId: expect.stringMatching(/^request-/) },
        data: {
          orderId: body.orderId,
          userId: 'u-1',
          items: orderBody.items,
          createdAt: body.createdAt,
        },
      },
    });
    expect(JSON.stringify(items[1])).not.toContain('tok_ok');
  });

  it('holds the Idempotency-Key in a tenant-keyed record of the same transaction', async () => {
    dynamoDb.on(TransactWriteCommand).resolves({});

    const body = json(await post(orderBody, { 'Idempotency-Key': 'key-1' }));

    const items = transactItems();
    expect(items).toHaveLength(3);
    expect(items[1]?.Put).toMatchObject({
      Item: {
        PK: 'T#t1',
        SK: 'IDEMPOTENCY#u-1#key-1',
        fingerprint: requestFingerprint(orderBody),
        orderId: body.orderId,
        statusCode: 202,
        expiresAt: Math.floor(Date.parse(String(body.createdAt)) / 1000) + 86_400,
      },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
    });
  });

  it('replays the first response for a repeated Idempotency-Key and body', async () => {
    dynamoDb.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'ConditionalCheckFailed', 'None'));
    dynamoDb.on(GetCommand, { Key: { PK: 'T#t1', SK: 'IDEMPOTENCY#u-1#key-1' } }).resolves({
      Item: {
        fingerprint: requestFingerprint(orderBody),
        orderId,
        statusCode: 202,
        userId: 'u-1',
        key: 'key-1',
      },
    });
    dynamoDb
      .on(GetCommand, { Key: { PK: 'T#t1', SK: `ORDER#${orderId}` } })
      .resolves({ Item: storedOrder() });

    const result = await post(orderBody, { 'Idempotency-Key': 'key-1' });

    expect(result.statusCode).toBe(202);
    expect(json(result)).toEqual(orderView);
    expect(result.headers?.Location).toBe(`/orders/${orderId}`);
    expect(result.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('answers 422 for a repeated Idempotency-Key with another body', async () => {
    dynamoDb.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'ConditionalCheckFailed', 'None'));
    dynamoDb.on(GetCommand).resolves({
      Item: {
        fingerprint: requestFingerprint({ ...orderBody, paymentToken: 'tok_other' }),
        orderId,
        statusCode: 202,
      },
    });

    problem(await post(orderBody, { 'Idempotency-Key': 'key-1' }), 422);
  });

  it('answers 409 while a request with the same Idempotency-Key is in flight', async () => {
    dynamoDb.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'TransactionConflict', 'None'));

    problem(await post(orderBody, { 'Idempotency-Key': 'key-1' }), 409);
    expect(dynamoDb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('answers 400 for a productId given twice and names the line', async () => {
    const body = problem(
      await post({ ...orderBody, items: [...orderBody.items, { productId: 'p-1', quantity: 1 }] }),
      400,
    );

    expect(body.errors).toEqual([
      { path: '/items/1/productId', message: expect.stringContaining('Duplicate productId') },
    ]);
    expect(dynamoDb.calls()).toHaveLength(0);
  });

  it('answers 400 for an unknown field', async () => {
    const body = problem(await post({ ...orderBody, coupon: 'FREE' }), 400);

    expect(body.errors).toEqual([{ path: '/coupon', message: 'Unknown field' }]);
  });

  it.each([
    ['empty', ''],
    ['129 characters long', 'k'.repeat(129)],
  ])('answers 400 for an Idempotency-Key that is %s and writes nothing', async (_, key) => {
    const body = problem(await post(orderBody, { 'Idempotency-Key': key }), 400);

    expect(body.errors).toEqual([expect.objectContaining({ path: 'header.idempotency-key' })]);
    expect(dynamoDb.calls()).toHaveLength(0);
  });
});

describe('GET /orders/{id}', () => {
  it('answers 200 with the order to its owner, without owner or claim', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder() });

    const result = await get(orderId);

    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual(orderView);
    expect(dynamoDb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { PK: 'T#t1', SK: `ORDER#${orderId}` },
    });
  });

  it("answers 200 to an admin for another user's order", async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder() });

    expect((await get(orderId, admin)).statusCode).toBe(200);
  });

  it('answers 404 to another member, as if the order did not exist', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder() });

    problem(await get(orderId, otherMember), 404);
  });

  it('answers 404 for a missing order', async () => {
    dynamoDb.on(GetCommand).resolves({});

    problem(await get(orderId), 404);
  });
});

describe('GET /orders', () => {
  it("queries a member's own orders newest first on GSI1 and returns a cursor", async () => {
    const lastKey = {
      PK: 'T#t1',
      SK: `ORDER#${orderId}`,
      GSI1PK: 'T#t1#USER#u-1',
      GSI1SK: `ORDER#${orderId}`,
    };
    dynamoDb.on(QueryCommand).resolves({ Items: [storedOrder()], LastEvaluatedKey: lastKey });

    const result = await list({ limit: '1' });

    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ items: [orderView], nextCursor: encodeCursor('t1', lastKey) });
    expect(dynamoDb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      ExpressionAttributeValues: { ':pk': 'T#t1#USER#u-1', ':prefix': 'ORDER#' },
      ScanIndexForward: false,
      Limit: 1,
    });
  });

  it("queries the tenant's orders for an admin, filtered by status", async () => {
    dynamoDb.on(QueryCommand).resolves({ Items: [] });

    const result = await list({ status: 'CANCELLED' }, admin);

    expect(json(result)).toEqual({ items: [] });
    const input = dynamoDb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.IndexName).toBeUndefined();
    expect(input).toMatchObject({
      FilterExpression: '#status = :status',
      ExpressionAttributeValues: { ':pk': 'T#t1', ':status': 'CANCELLED' },
      Limit: 20,
    });
  });

  it.each([
    ['an unknown status', { status: 'SHIPPED' }, 'query.status'],
    ['a limit over 100', { limit: '101' }, 'query.limit'],
    ['an unknown parameter', { sort: 'asc' }, 'query.sort'],
  ])('answers 400 for %s', async (_, query, path) => {
    const body = problem(await list(query), 400);

    expect(body.errors).toEqual([expect.objectContaining({ path })]);
  });

  it("answers 400 for another tenant's cursor and reads nothing", async () => {
    const cursor = encodeCursor('t2', {
      PK: 'T#t2',
      SK: `ORDER#${orderId}`,
      GSI1PK: 'T#t2#USER#u-1',
      GSI1SK: 'ORDER#x',
    });

    const body = problem(await list({ cursor: cursor ?? '' }), 400);

    expect(body.errors).toEqual([{ path: 'query.cursor', message: 'Invalid cursor' }]);
    expect(dynamoDb.calls()).toHaveLength(0);
  });
});
