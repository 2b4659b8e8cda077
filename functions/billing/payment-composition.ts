import { requiredEnv } from '../shared/env.js';
import { paymentProviderVariables } from '../shared/service-definition.js';
import { dynamoDbStripeIntentBooks, dynamoDbTestProviderBooks } from './adapters/billing-repository.js';
import { stripeClientFromSecret } from './adapters/stripe-client.js';
import { stripePaymentGateway } from './adapters/stripe-payment-gateway.js';
import { testPaymentGateway } from './adapters/test-payment-gateway.js';
import { billingTableName, billingWith } from './composition.js';
import type { PaymentGateway } from './domain/payment-gateway.js';

/** Payment providers by PAYMENT_GATEWAY, which CDK sets from the stage for `uses: ['paymentProvider']`. */
const gateways: Record<string, () => PaymentGateway> = {
  test: () => testPaymentGateway(dynamoDbTestProviderBooks(billingTableName)),
  stripe: () =>
    stripePaymentGateway(
      stripeClientFromSecret({
        secretId: requiredEnv(paymentProviderVariables.secretId),
        timeoutMs: Number(requiredEnv(paymentProviderVariables.timeoutMs)),
        ...(process.env[paymentProviderVariables.endpoint]
          ? { endpoint: process.env[paymentProviderVariables.endpoint] }
          : {}),
      }),
      dynamoDbStripeIntentBooks(billingTableName),
    ),
};

const gatewayName = requiredEnv(paymentProviderVariables.gateway);
const gatewayFactory = gateways[gatewayName];
if (!gatewayFactory) {
  throw new Error(`${paymentProviderVariables.gateway}=${gatewayName} names no payment gateway`);
}

/** Billing for the saga's payment tasks, charging through the stage's provider. */
export const payments = billingWith(gatewayFactory());
