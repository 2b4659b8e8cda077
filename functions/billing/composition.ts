import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/powertools.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbBillingRepository, dynamoDbTestProviderBooks } from './adapters/billing-repository.js';
import { dynamoDbPaymentTokenVault } from './adapters/payment-token-vault.js';
import { testPaymentGateway } from './adapters/test-payment-gateway.js';
import { billingUseCases } from './domain/billing-use-cases.js';
import type { PaymentGateway } from './domain/payment-gateway.js';
import { billingService } from './service.js';

const tableName = requiredEnv(tableNameVariable(billingService.name));

/** Payment providers by PAYMENT_GATEWAY; a real provider's adapter is added here. */
const gateways: Record<string, () => PaymentGateway> = {
  test: () => testPaymentGateway(dynamoDbTestProviderBooks(tableName)),
};

const gatewayName = process.env.PAYMENT_GATEWAY || 'test';
const gatewayFactory = gateways[gatewayName];
if (!gatewayFactory) throw new Error(`PAYMENT_GATEWAY=${gatewayName} names no payment gateway`);

export const billing = billingUseCases({
  repository: dynamoDbBillingRepository(tableName),
  gateway: gatewayFactory(),
  // Billing owns the vault: the deposits live in its own table.
  paymentTokens: dynamoDbPaymentTokenVault(tableName),
  newId: ulid,
  now: () => new Date(),
  onUnrecordedCaptureRefunded: (orderId, amountCents) => {
    logger.warn('refunded a capture that billing never recorded', { orderId, amountCents });
    metrics.addMetric('UnrecordedCaptureRefunded', MetricUnit.Count, 1);
  },
});
