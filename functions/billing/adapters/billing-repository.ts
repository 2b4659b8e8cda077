import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { paymentCaptured } from '../../../events/billing/payment-captured.js';
import { paymentFailed } from '../../../events/billing/payment-failed.js';
import { paymentRefunded } from '../../../events/billing/payment-refunded.js';
import {
  documentClient,
  failedConditions,
  insertPut,
  putIfAbsent,
  putIfAbsentOrStored,
} from '../../shared/dynamodb.js';
import { outboxPut } from '../../shared/outbox.js';
import type { BillingRepository } from '../domain/billing-port.js';
import type { Payment, PaymentRecord, VoidedPayment } from '../domain/payment.js';
import {
  chargeAttemptsKey,
  paymentEntityType,
  paymentKey,
  stripeIntentKey,
  testProviderKey,
} from './billing-keys.js';
import type { StripeIntentBooks } from './stripe-payment-gateway.js';
import type { TestProviderBooks, TestProviderCharge } from './test-payment-gateway.js';

/** A payment item as stored: the keys and entity type are left behind, and an invoice is read from it. */
const storedPayment = z.union([
  z.object({ orderId: z.string(), status: z.literal('VOIDED'), createdAt: z.string() }),
  z.object({
    paymentId: z.string(),
    orderId: z.string(),
    userId: z.string(),
    amountCents: z.number(),
    currency: z.string(),
    status: z.enum(['CAPTURED', 'DECLINED', 'REFUNDED']),
    providerPaymentId: z.optional(z.string()),
    invoiceId: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
]);

export function dynamoDbBillingRepository(tableName: string): BillingRepository {
  const paymentPut = (tenantId: string, payment: Payment) =>
    insertPut(tableName, {
      ...paymentKey(tenantId, payment.orderId),
      entityType: paymentEntityType,
      ...payment,
    });

  async function firstWriteWins(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return false;
      throw error;
    }
  }

  return {
    async getPayment(tenantId, orderId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: paymentKey(tenantId, orderId), ConsistentRead: true }),
      );
      return Item ? (storedPayment.parse(Item) satisfies PaymentRecord) : undefined;
    },

    recordVoid(tenantId, orderId, now) {
      const voided: VoidedPayment = { orderId, status: 'VOIDED', createdAt: now };
      return putIfAbsent(tableName, {
        ...paymentKey(tenantId, orderId),
        entityType: paymentEntityType,
        ...voided,
      });
    },

    recordCapture(context, payment) {
      const { orderId, paymentId, amountCents, currency, invoiceId = '' } = payment;
      return firstWriteWins(() =>
        documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              paymentPut(context.tenantId, payment),
              outboxPut(tableName, paymentCaptured, context, {
                orderId,
                paymentId,
                invoiceId,
                amountCents,
                currency,
              }),
            ],
          }),
        ),
      );
    },

    recordDecline(context, payment) {
      const { orderId, amountCents, currency } = payment;
      return firstWriteWins(() =>
        documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              paymentPut(context.tenantId, payment),
              outboxPut(tableName, paymentFailed, context, {
                orderId,
                amountCents,
                currency,
                reason: 'DECLINED',
              }),
            ],
          }),
        ),
      );
    },

    recordRefund(context, payment, now) {
      const { orderId, paymentId, amountCents, currency, invoiceId = '' } = payment;
      return firstWriteWins(() =>
        documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: paymentKey(context.tenantId, orderId),
                  UpdateExpression: 'SET #status = :refunded, updatedAt = :now',
                  ConditionExpression: '#status = :captured',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':refunded': 'REFUNDED',
                    ':captured': 'CAPTURED',
                    ':now': now,
                  },
                },
              },
              outboxPut(tableName, paymentRefunded, context, {
                orderId,
                paymentId,
                invoiceId,
                amountCents,
                currency,
              }),
            ],
          }),
        ),
      );
    },
  };
}

export function dynamoDbTestProviderBooks(tableName: string): TestProviderBooks {
  const read = async (tenantId: string, orderId: string) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: testProviderKey(tenantId, orderId), ConsistentRead: true }),
    );
    return Item as TestProviderCharge | undefined;
  };
  return {
    async countAttempt(tenantId, orderId) {
      const { Attributes } = await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: chargeAttemptsKey(tenantId, orderId),
          UpdateExpression: 'ADD attempts :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.attempts ?? 0);
    },
    async capture(tenantId, orderId, charge) {
      const item = { ...testProviderKey(tenantId, orderId), ...charge, refunded: false };
      return putIfAbsentOrStored(tableName, item);
    },
    async markRefunded(tenantId, orderId) {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: testProviderKey(tenantId, orderId),
          UpdateExpression: 'SET refunded = :true',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    },
    find: read,
  };
}

export function dynamoDbStripeIntentBooks(tableName: string): StripeIntentBooks {
  const find = async (tenantId: string, orderId: string) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: stripeIntentKey(tenantId, orderId), ConsistentRead: true }),
    );
    return Item ? String(Item.intentId) : undefined;
  };
  return {
    async remember(tenantId, orderId, intentId) {
      return (await putIfAbsentOrStored(tableName, { ...stripeIntentKey(tenantId, orderId), intentId }))
        .intentId;
    },
    find,
  };
}
