import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import {
  dynamoDbBillingRepository,
  dynamoDbStripeIntentBooks,
} from '../../../functions/billing/adapters/billing-repository.js';
import { dynamoDbOrderPaymentTokens } from '../../../functions/billing/adapters/order-payment-tokens.js';
import { stripeClientFromSecret } from '../../../functions/billing/adapters/stripe-client.js';
import { stripePaymentGateway } from '../../../functions/billing/adapters/stripe-payment-gateway.js';
import { billingUseCases } from '../../../functions/billing/domain/billing-use-cases.js';
import { billingService } from '../../../functions/billing/service.js';
import { ordersService } from '../../../functions/orders/service.js';
import { type StripeFake, startStripeFake } from '../../../sandbox/stripe-fake.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';
import { ordersTableName, putPendingOrder } from '../../support/pending-order.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(billingService.name);
const secrets = mockClient(SecretsManagerClient);
const secretId = 'serverless-saas/test/stripe-secret-key';

let stripe: StripeFake;
let tenantId: string;
/** Order ids are unique across tenants (ULIDs), and so are Stripe's idempotency keys derived from them. */
let orderId: string;

/** Billing as the stripe gateway wires it: its key from (mocked) Secrets Manager, the fake as Stripe. */
function billingWithStripe(secret = secretId) {
  const gateway = stripePaymentGateway(
    stripeClientFromSecret({ secretId: secret, timeoutMs: 2000, endpoint: stripe.endpoint }),
    dynamoDbStripeIntentBooks(tableName),
  );
  return {
    gateway,
    billing: billingUseCases({
      repository: dynamoDbBillingRepository(tableName),
      gateway,
      paymentTokens: dynamoDbOrderPaymentTokens(ordersTableName),
      newId: ulid,
      now: () => new Date(),
    }),
  };
}

async function charge(paymentToken: string) {
  await putPendingOrder(tenantId, orderId, paymentToken);
  return { tenantId, orderId, correlationId: 'c1', userId: 'buyer-1', amountCents: 1500, currency: 'EUR' };
}

const intentsOf = () =>
  stripe
    .intents()
    .filter((intent) => intent.metadata.order_id === orderId && intent.metadata.tenant_id === tenantId);

beforeAll(async () => {
  await createServiceTables(client, [billingService, ordersService]);
  stripe = await startStripeFake();
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
  orderId = ulid();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: stripe.secretKey });
});

afterAll(async () => {
  await stripe.close();
  client.destroy();
});

describe('billing through Stripe PaymentIntents (a local fake of the API)', () => {
  it('captures the order total once with the key read from Secrets Manager, and invoices it', async () => {
    const { billing } = billingWithStripe();
    const input = await charge('pm_card_visa');

    const first = await billing.chargePayment(input);
    const again = await billing.chargePayment(input);

    expect(first).toMatchObject({ status: 'CAPTURED' });
    expect(again).toEqual(first);
    expect(intentsOf()).toEqual([
      expect.objectContaining({
        amount: 1500,
        currency: 'eur',
        status: 'succeeded',
        charge: expect.objectContaining({ amount: 1500, refunded: false }),
      }),
    ]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(await outboxEvents(tableName, tenantId, 'PaymentCaptured')).toHaveLength(1);
  });

  it.each([
    ['a declined card', 'pm_card_chargeDeclined'],
    ['a card that needs the buyer (off-session)', 'pm_card_authenticationRequired'],
    ['a payment method Stripe does not know', 'pm_unknown'],
  ])('declines %s and takes nothing', async (_, paymentMethod) => {
    const { billing } = billingWithStripe();

    expect(await billing.chargePayment(await charge(paymentMethod))).toEqual({ status: 'DECLINED' });

    expect(intentsOf().filter((intent) => intent.status === 'succeeded')).toEqual([]);
    expect(await outboxEvents(tableName, tenantId, 'PaymentFailed')).toHaveLength(1);
  });

  it('cancels an intent the confirmation leaves unfinished before counting the charge as declined', async () => {
    const { gateway } = billingWithStripe();
    const request = { ...(await charge('pm_fake_requiresAction')), paymentToken: 'pm_fake_requiresAction' };

    expect(await gateway.charge(request)).toEqual({ outcome: 'declined' });
    // The saga's retry gets Stripe's first answers again: still declined, nothing moved.
    expect(await gateway.charge(request)).toEqual({ outcome: 'declined' });

    expect(intentsOf().map((intent) => [intent.status, intent.amount_received])).toEqual([['canceled', 0]]);
    expect(await gateway.findCapture({ tenantId, orderId })).toBeUndefined();
  });

  it('fails the charge, not declines it, when the unfinished intent cannot be cancelled; the retry cancels it', async () => {
    const { gateway } = billingWithStripe();
    const request = { ...(await charge('pm_fake_requiresAction')), paymentToken: 'pm_fake_requiresAction' };
    // The cancellation and the SDK's own retry of it.
    stripe.failNext(2, /\/cancel$/);

    await expect(gateway.charge(request)).rejects.toMatchObject({ name: 'PaymentUnavailableError' });
    expect(intentsOf().map((intent) => intent.status)).toEqual(['requires_action']);
    expect(await gateway.charge(request)).toEqual({ outcome: 'declined' });

    expect(intentsOf().map((intent) => [intent.status, intent.amount_received])).toEqual([['canceled', 0]]);
  });

  it('reports Stripe being down as PaymentUnavailableError, and the retry charges once', async () => {
    const { billing } = billingWithStripe();
    const input = await charge('pm_card_visa');
    // The request and the SDK's own retry of it.
    stripe.failNext(2);

    await expect(billing.chargePayment(input)).rejects.toMatchObject({ name: 'PaymentUnavailableError' });
    expect(await billing.chargePayment(input)).toMatchObject({ status: 'CAPTURED' });

    expect(intentsOf()).toHaveLength(1);
    expect(intentsOf()[0]?.amount_received).toBe(1500);
  });

  it('reports Stripe being down during a refund or a capture lookup as PaymentUnavailableError', async () => {
    const { gateway } = billingWithStripe();
    await gateway.charge({ ...(await charge('pm_card_visa')), paymentToken: 'pm_card_visa' });
    const providerPaymentId = intentsOf()[0]?.id as string;
    const refund = () =>
      gateway.refund({ tenantId, orderId, providerPaymentId, amountCents: 1500, currency: 'EUR' });
    const refundsBefore = stripe.counts.refunds;

    stripe.failNext(2);
    await expect(gateway.findCapture({ tenantId, orderId })).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
    stripe.failNext(2);
    await expect(refund()).rejects.toMatchObject({ name: 'PaymentUnavailableError' });
    await refund();

    expect(intentsOf()[0]?.charge).toMatchObject({ amount_refunded: 1500, refunded: true });
    expect(stripe.counts.refunds).toBe(refundsBefore + 1);
  });

  it('charges one intent for concurrent charges of one order (idempotency keys by order and step)', async () => {
    const { billing } = billingWithStripe();
    const input = await charge('pm_card_visa');

    const results = await Promise.all(Array.from({ length: 4 }, () => billing.chargePayment(input)));

    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(intentsOf()).toHaveLength(1);
    expect(stripe.counts.replays).toBeGreaterThan(0);
  });

  it('refunds a recorded capture once, however often the compensation runs', async () => {
    const { billing } = billingWithStripe();
    await billing.chargePayment(await charge('pm_card_visa'));
    const step = { tenantId, orderId, correlationId: 'c1' };

    expect(await billing.refundPayment(step)).toEqual({ refunded: true });
    expect(await billing.refundPayment(step)).toEqual({ refunded: true });

    expect(intentsOf()[0]?.charge).toMatchObject({ amount_refunded: 1500, refunded: true });
    expect(await outboxEvents(tableName, tenantId, 'PaymentRefunded')).toHaveLength(1);
  });

  it('takes a charge refunded outside billing (the Stripe dashboard) as refunded', async () => {
    const { billing } = billingWithStripe();
    await billing.chargePayment(await charge('pm_card_visa'));
    const intentId = intentsOf()[0]?.id as string;
    const outside = await fetch(`${stripe.endpoint}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stripe.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ payment_intent: intentId }),
    });
    expect(outside.status).toBe(200);

    expect(await billing.refundPayment({ tenantId, orderId, correlationId: 'c1' })).toEqual({
      refunded: true,
    });
    expect(intentsOf()[0]?.charge).toMatchObject({ amount_refunded: 1500, refunded: true });
    expect(await outboxEvents(tableName, tenantId, 'PaymentRefunded')).toHaveLength(1);
  });

  it('finds and refunds a capture Stripe took but billing never recorded', async () => {
    const { billing, gateway } = billingWithStripe();
    // The provider captured, then the task failed before billing recorded it.
    await gateway.charge({
      tenantId,
      orderId,
      amountCents: 1500,
      currency: 'EUR',
      paymentToken: 'pm_card_visa',
    });

    expect(await billing.refundPayment({ tenantId, orderId, correlationId: 'c1' })).toEqual({
      refunded: true,
    });
    expect(intentsOf()[0]?.charge).toMatchObject({ refunded: true });
  });

  it('fails every provider call while the secret cannot be read, then recovers once it can', async () => {
    // A secret of its own: Powertools caches what it read for 5 s.
    const throttledSecret = `throttled/${randomUUID()}`;
    secrets
      .on(GetSecretValueCommand, { SecretId: throttledSecret })
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: stripe.secretKey });
    const { billing } = billingWithStripe(throttledSecret);
    const input = await charge('pm_card_visa');

    await expect(billing.chargePayment(input)).rejects.toThrow('throttled');
    expect(await billing.chargePayment(input)).toMatchObject({ status: 'CAPTURED' });
  });
});
