import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { paymentKey } from '../../../functions/billing/adapters/billing-keys.js';
import {
  dynamoDbBillingRepository,
  dynamoDbTestProviderBooks,
} from '../../../functions/billing/adapters/billing-repository.js';
import { dynamoDbOrderPaymentTokens } from '../../../functions/billing/adapters/order-payment-tokens.js';
import { testPaymentGateway } from '../../../functions/billing/adapters/test-payment-gateway.js';
import { billingUseCases } from '../../../functions/billing/domain/billing-use-cases.js';
import { billingService } from '../../../functions/billing/service.js';
import { ordersService } from '../../../functions/orders/service.js';
import { documentClient } from '../../../functions/shared/dynamodb.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';
import { ordersTableName, putPendingOrder } from '../../support/pending-order.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(billingService.name);
const books = dynamoDbTestProviderBooks(tableName);
const paymentTokens = dynamoDbOrderPaymentTokens(ordersTableName);
const billing = billingUseCases({
  repository: dynamoDbBillingRepository(tableName),
  gateway: testPaymentGateway(books),
  paymentTokens,
  newId: ulid,
  now: () => new Date(),
});

let tenantId: string;
const chargeInput = (orderId: string) => ({
  tenantId,
  orderId,
  correlationId: 'c1',
  userId: 'buyer-1',
  amountCents: 1500,
  currency: 'EUR',
});

/** The order as placing it leaves it (PENDING, with its token), and the charge of it. */
async function charge(orderId: string, paymentToken = 'tok_ok') {
  await putPendingOrder(tenantId, orderId, paymentToken);
  return chargeInput(orderId);
}
const step = (orderId: string) => ({ tenantId, orderId, correlationId: 'c1' });

const events = (detailType: string) => outboxEvents(tableName, tenantId, detailType);

beforeAll(async () => {
  await createServiceTables(client, [billingService, ordersService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('billing against DynamoDB Local', () => {
  it('captures once: one payment, one PAID invoice, one PaymentCaptured, however often it is asked', async () => {
    const first = await billing.chargePayment(await charge('o1'));
    const second = await billing.chargePayment(await charge('o1'));

    expect(second).toEqual(first);
    expect(first).toMatchObject({ status: 'CAPTURED' });
    const invoices = await billing.listInvoices({ tenantId, userId: 'admin', roles: ['admin'] }, 'o1');
    expect(invoices).toEqual([
      expect.objectContaining({ amountCents: 1500, currency: 'EUR', status: 'PAID' }),
    ]);
    expect(await events('PaymentCaptured')).toHaveLength(1);
  });

  it('captures exactly once under five concurrent charges of one order', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => billing.chargePayment(await charge('o1'))),
    );

    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(await billing.listInvoices({ tenantId, userId: 'admin', roles: ['admin'] }, 'o1')).toHaveLength(1);
    expect(await events('PaymentCaptured')).toHaveLength(1);
  });

  it('records a decline with PaymentFailed and no invoice', async () => {
    expect(await billing.chargePayment(await charge('o1', 'tok_declined'))).toEqual({ status: 'DECLINED' });

    expect(await events('PaymentFailed')).toHaveLength(1);
    expect(await billing.listInvoices({ tenantId, userId: 'admin', roles: ['admin'] }, 'o1')).toEqual([]);
  });

  it('charges with the token the order still holds when the provider answers again', async () => {
    const input = await charge('o1', 'tok_flaky');

    await expect(billing.chargePayment(input)).rejects.toMatchObject({ name: 'PaymentUnavailableError' });
    expect(await paymentTokens.find(tenantId, 'o1')).toBe('tok_flaky');

    expect(await billing.chargePayment(input)).toMatchObject({ status: 'CAPTURED' });
  });

  it.each([
    ['is settled (its item keeps no token)', () => putPendingOrder(tenantId, 'o1')],
    ['does not exist', async () => undefined],
  ])('declines without asking the provider when the order %s', async (_, arrange) => {
    await arrange();

    expect(await billing.chargePayment(chargeInput('o1'))).toEqual({ status: 'DECLINED' });

    expect(await books.find(tenantId, 'o1')).toBeUndefined();
    expect(await events('PaymentFailed')).toHaveLength(1);
  });

  it('writes nothing when the provider is down', async () => {
    await expect(billing.chargePayment(await charge('o1', 'tok_down'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });

    expect(await billing.refundPayment(step('o1'))).toEqual({ refunded: false });
    expect(await events('PaymentCaptured')).toEqual([]);
  });

  it('refunds once: invoice REFUNDED and one PaymentRefunded', async () => {
    await billing.chargePayment(await charge('o1'));

    const results = [await billing.refundPayment(step('o1')), await billing.refundPayment(step('o1'))];

    expect(results).toEqual([{ refunded: true }, { refunded: true }]);
    expect(await billing.listInvoices({ tenantId, userId: 'admin', roles: ['admin'] }, 'o1')).toEqual([
      expect.objectContaining({ status: 'REFUNDED' }),
    ]);
    expect(await events('PaymentRefunded')).toHaveLength(1);
  });

  it('refunds a capture the provider took but billing never recorded', async () => {
    // The provider captured (its books say so), then the task failed before recording it.
    await books.capture(tenantId, 'o1', { providerPaymentId: 'test_o1', amountCents: 1500, currency: 'EUR' });

    expect(await billing.refundPayment(step('o1'))).toEqual({ refunded: true });
    expect(await books.find(tenantId, 'o1')).toMatchObject({ refunded: true });
    expect(await billing.refundPayment(step('o1'))).toEqual({ refunded: false });
  });

  it('refuses a charge that arrives after its own refund, and takes no money', async () => {
    expect(await billing.refundPayment(step('o1'))).toEqual({ refunded: false });

    await expect(billing.chargePayment(await charge('o1'))).rejects.toMatchObject({
      name: 'PaymentVoidedError',
    });
    expect(await books.find(tenantId, 'o1')).toBeUndefined();
    expect(await events('PaymentCaptured')).toEqual([]);
  });

  it('refuses to charge again once the payment was refunded', async () => {
    await billing.chargePayment(await charge('o1'));
    await billing.refundPayment(step('o1'));

    await expect(billing.chargePayment(await charge('o1'))).rejects.toMatchObject({
      name: 'PaymentVoidedError',
    });
    expect(await events('PaymentCaptured')).toHaveLength(1);
  });

  it("shows a member only their own orders' invoices", async () => {
    await billing.chargePayment(await charge('o1'));

    const owner = await billing.listInvoices({ tenantId, userId: 'buyer-1', roles: ['member'] }, 'o1');
    const other = await billing.listInvoices({ tenantId, userId: 'buyer-2', roles: ['member'] }, 'o1');
    const stranger = await billing.listInvoices(
      { tenantId: 'elsewhere', userId: 'buyer-1', roles: ['admin'] },
      'o1',
    );

    expect(owner).toHaveLength(1);
    expect(owner[0]).not.toHaveProperty('userId');
    expect(other).toEqual([]);
    expect(stranger).toEqual([]);
  });

  it('reads a payment item only as its schema says: the keys stay behind, and a corrupt item is refused', async () => {
    const repository = dynamoDbBillingRepository(tableName);
    await billing.chargePayment(await charge('o1'));

    const payment = await repository.getPayment(tenantId, 'o1');
    for (const storageOnly of ['PK', 'SK', 'entityType']) expect(payment).not.toHaveProperty(storageOnly);
    expect(payment).toMatchObject({ status: 'CAPTURED', amountCents: 1500 });
    await documentClient.send(
      new PutCommand({ TableName: tableName, Item: { ...paymentKey(tenantId, 'o2'), status: 'CAPTURED' } }),
    );
    await expect(repository.getPayment(tenantId, 'o2')).rejects.toThrow();
  });
});
