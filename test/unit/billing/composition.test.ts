import { orderPaymentToken } from '../../../functions/shared/order-payment-token.js';
import { paymentProviderVariables, tableNameVariable } from '../../../functions/shared/service-definition.js';

/**
 * How billing is wired per function, from the environment CDK gives it: only the functions that
 * declare `uses: ['paymentProvider']` (and `orderPaymentTokens`) can charge, and a misconfigured one
 * fails loudly rather than charging through a default.
 */
const billingTable = 'billing-test';
const ordersTable = 'orders-test';

Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  [tableNameVariable('billing')]: billingTable,
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

const chargeInput = {
  tenantId: 't1',
  orderId: 'o1',
  correlationId: 'c1',
  userId: 'u1',
  amountCents: 500,
  currency: 'EUR',
};

beforeEach(() => {
  jest.resetModules();
  delete process.env[paymentProviderVariables.gateway];
  delete process.env[orderPaymentToken.tableVariable];
});

/** DynamoDB as billing's charge sees it: no payment recorded yet, the order's token in the orders table. */
async function pendingOrderWithToken(): Promise<void> {
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { mockClient } = await import('aws-sdk-client-mock');
  const ddb = mockClient(DynamoDBDocumentClient);
  ddb.on(GetCommand, { TableName: billingTable }).resolves({});
  ddb
    .on(GetCommand, { TableName: ordersTable })
    .resolves({ Item: { [orderPaymentToken.attribute]: 'tok_ok' } });
}

describe('billing wired per function', () => {
  it('gives a function that does not declare the payment provider none: a charge there fails loudly', async () => {
    process.env[orderPaymentToken.tableVariable] = ordersTable;
    await pendingOrderWithToken();
    const { billing } = await import('../../../functions/billing/composition.js');

    await expect(billing.chargePayment(chargeInput)).rejects.toThrow(
      "only functions that declare uses: ['paymentProvider']",
    );
  });

  it('refuses to read payment tokens where the function does not declare orderPaymentTokens', async () => {
    process.env[paymentProviderVariables.gateway] = 'test';
    await pendingOrderWithToken();
    const { payments } = await import('../../../functions/billing/payment-composition.js');

    await expect(payments.chargePayment(chargeInput)).rejects.toThrow(
      `${orderPaymentToken.tableVariable} is not set`,
    );
  });

  it('fails the cold start of a payment task with no gateway, or one it does not know', async () => {
    await expect(import('../../../functions/billing/payment-composition.js')).rejects.toThrow(
      `Environment variable ${paymentProviderVariables.gateway} is not set`,
    );
    jest.resetModules();
    process.env[paymentProviderVariables.gateway] = 'paypal';
    await expect(import('../../../functions/billing/payment-composition.js')).rejects.toThrow(
      'PAYMENT_GATEWAY=paypal names no payment gateway',
    );
  });
});
