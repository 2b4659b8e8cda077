import './support/handler-environment.js';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as cancelOrder } from '../../../functions/orders/handlers/cancel-order.js';
import { handler as claimOrder } from '../../../functions/orders/handlers/claim-order.js';
import { handler as confirmOrder } from '../../../functions/orders/handlers/confirm-order.js';
import type { ReservationResult } from '../../../tasks/order-saga-tasks.js';
import { lambdaContext } from '../../fixtures/lambda-events.js';

const dynamoDb = mockClient(DynamoDBDocumentClient);

const orderId = '01JD0000000000000000000001';
const executionId = 'arn:aws:states:eu-west-1:123456789012:execution:order-saga:exec-1';
const step = { tenantId: 't1', orderId, correlationId: 'corr-1', executionId };
const reservation: ReservationResult = {
  status: 'RESERVED',
  lines: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'EUR',
};

const storedOrder = (overrides: Record<string, unknown> = {}) => ({
  PK: 'T#t1',
  SK: `ORDER#${orderId}`,
  entityType: 'ORDER',
  orderId,
  userId: 'u-1',
  status: 'PENDING',
  items: [{ productId: 'p-1', quantity: 2 }],
  claimedBy: executionId,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  ...overrides,
});

const transactItems = () => dynamoDb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

beforeEach(() => {
  dynamoDb.reset();
});

describe('ClaimOrder', () => {
  it('claims the order for its execution with a conditional update', async () => {
    dynamoDb.on(UpdateCommand).resolves({});

    const output = await claimOrder(step, lambdaContext());

    expect(output).toEqual({ claimed: true });
    expect(dynamoDb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { PK: 'T#t1', SK: `ORDER#${orderId}` },
      UpdateExpression: 'SET claimedBy = :execution',
      ExpressionAttributeValues: { ':pending': 'PENDING', ':execution': executionId },
    });
  });

  it('answers claimed: false when another execution holds the order', async () => {
    dynamoDb
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: { PK: { S: 'T#t1' } } }),
      );

    expect(await claimOrder(step, lambdaContext())).toEqual({ claimed: false });
  });

  it('answers claimed: false for a missing order', async () => {
    dynamoDb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    expect(await claimOrder(step, lambdaContext())).toEqual({ claimed: false });
  });

  it('fails a malformed input with InvalidTaskInputError, which the saga does not retry', async () => {
    await expect(claimOrder({ ...step, executionId: undefined }, lambdaContext())).rejects.toMatchObject({
      name: 'InvalidTaskInputError',
    });
    expect(dynamoDb.calls()).toHaveLength(0);
  });
});

describe('ConfirmOrder', () => {
  const input = { ...step, reservation, invoiceId: 'inv-1' };

  it('confirms and prices the order with its OrderConfirmed event in one transaction', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder() });
    dynamoDb.on(TransactWriteCommand).resolves({});

    const output = await confirmOrder(input, lambdaContext());

    expect(output).toEqual({ status: 'CONFIRMED' });
    const [orderPut, eventPut] = transactItems();
    expect(orderPut?.Put).toMatchObject({
      Item: {
        status: 'CONFIRMED',
        items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
        totalCents: 2500,
        currency: 'EUR',
        invoiceId: 'inv-1',
      },
      ConditionExpression: '#status = :pending AND claimedBy = :execution',
      ExpressionAttributeValues: { ':pending': 'PENDING', ':execution': executionId },
    });
    expect(eventPut?.Put?.Item).toMatchObject({
      detailType: 'OrderConfirmed',
      detail: { metadata: { correlationId: 'corr-1' }, data: { orderId, userId: 'u-1', totalCents: 2500 } },
    });
  });

  it('answers CONFIRMED without writing when its execution already confirmed the order', async () => {
    dynamoDb.on(GetCommand).resolves({
      Item: storedOrder({ status: 'CONFIRMED', totalCents: 2500, currency: 'EUR', invoiceId: 'inv-1' }),
    });

    expect(await confirmOrder(input, lambdaContext())).toEqual({ status: 'CONFIRMED' });
    expect(dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails with OrderNotConfirmableError for an order another execution holds', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder({ claimedBy: 'other-execution' }) });

    await expect(confirmOrder(input, lambdaContext())).rejects.toMatchObject({
      name: 'OrderNotConfirmableError',
    });
    expect(dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails with OrderNotConfirmableError when the order changed under the conditional write', async () => {
    dynamoDb
      .on(GetCommand)
      .resolvesOnce({ Item: storedOrder() })
      .resolves({ Item: storedOrder({ status: 'CANCELLED', statusReason: 'OUT_OF_STOCK' }) });
    dynamoDb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    await expect(confirmOrder(input, lambdaContext())).rejects.toMatchObject({
      name: 'OrderNotConfirmableError',
    });
  });
});

describe('CancelOrder', () => {
  const input = { ...step, cancellation: { reason: 'PAYMENT_DECLINED', reservation } };

  it('cancels the order with its reason and its OrderCancelled event in one transaction', async () => {
    dynamoDb.on(GetCommand).resolves({ Item: storedOrder() });
    dynamoDb.on(TransactWriteCommand).resolves({});

    const output = await cancelOrder(input, lambdaContext());

    expect(output).toEqual({ status: 'CANCELLED' });
    const [orderPut, eventPut] = transactItems();
    expect(orderPut?.Put?.Item).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'PAYMENT_DECLINED',
      totalCents: 2500,
    });
    expect(eventPut?.Put?.Item).toMatchObject({
      detailType: 'OrderCancelled',
      detail: { data: { orderId, userId: 'u-1', reason: 'PAYMENT_DECLINED' } },
    });
  });

  it('answers CANCELLED without writing when its execution already cancelled the order', async () => {
    dynamoDb
      .on(GetCommand)
      .resolves({ Item: storedOrder({ status: 'CANCELLED', statusReason: 'PAYMENT_DECLINED' }) });

    expect(await cancelOrder(input, lambdaContext())).toEqual({ status: 'CANCELLED' });
    expect(dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('rejects a reason the saga does not define', async () => {
    await expect(
      cancelOrder({ ...input, cancellation: { reason: 'BORED' } }, lambdaContext()),
    ).rejects.toMatchObject({
      name: 'InvalidTaskInputError',
    });
  });
});
