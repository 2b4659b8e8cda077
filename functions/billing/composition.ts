import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { orderPaymentToken } from '../shared/order-payment-token.js';
import { logger, metrics } from '../shared/powertools.js';
import { paymentProviderVariables, tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbBillingRepository } from './adapters/billing-repository.js';
import { dynamoDbOrderPaymentTokens } from './adapters/order-payment-tokens.js';
import { billingUseCases } from './domain/billing-use-cases.js';
import type { PaymentGateway } from './domain/payment-gateway.js';
import { billingService } from './service.js';

export const billingTableName = requiredEnv(tableNameVariable(billingService.name));

/** What a function that does not use the payment provider has in its place: loud, never a silent test gateway. */
const noPaymentProvider: PaymentGateway = {
  charge: unbound,
  refund: unbound,
  findCapture: unbound,
};

function unbound(): never {
  throw new Error(
    `No payment provider here: only functions that declare uses: ['paymentProvider'] get ${paymentProviderVariables.gateway}`,
  );
}

/**
 * Billing wired to DynamoDB, built once per cold start. The payment provider is passed in:
 * payment-composition.ts gives the saga's payment tasks the stage's provider, and the HTTP reads
 * get none, so their bundles carry no provider SDK.
 */
export function billingWith(gateway: PaymentGateway) {
  return billingUseCases({
    repository: dynamoDbBillingRepository(billingTableName),
    gateway,
    // Set only where the function declares uses: ['orderPaymentTokens'] (ChargePayment).
    paymentTokens: dynamoDbOrderPaymentTokens(process.env[orderPaymentToken.tableVariable]),
    newId: ulid,
    now: () => new Date(),
    onUnrecordedCaptureRefunded: (orderId, amountCents) => {
      logger.warn('refunded a capture that billing never recorded', { orderId, amountCents });
      metrics.addMetric('UnrecordedCaptureRefunded', MetricUnit.Count, 1);
    },
  });
}

export const billing = billingWith(noPaymentProvider);
