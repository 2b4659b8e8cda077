/**
 * The deterministic test gateway the contract defines, chosen by payment token:
 * `tok_ok` captures; `tok_declined` declines; `tok_flaky` is unavailable on the first attempt for
 * an order and captures after; `tok_down` is always unavailable; any other token is declined.
 * Attempts are counted in the billing table so `tok_flaky` behaves the same across Lambda instances.
 */
import type { ChargeAttemptCounter } from '../domain/billing-port.js';
import { type PaymentGateway, PaymentUnavailableError } from '../domain/payment-gateway.js';

export function testPaymentGateway(attempts: ChargeAttemptCounter): PaymentGateway {
  return {
    async charge({ tenantId, orderId, paymentToken }) {
      switch (paymentToken) {
        case 'tok_ok':
          return { outcome: 'captured', providerPaymentId: `test_${orderId}` };
        case 'tok_flaky':
          if ((await attempts.increment(tenantId, orderId)) === 1) {
            throw new PaymentUnavailableError(
              'Test gateway: transient failure on the first attempt (tok_flaky)',
            );
          }
          return { outcome: 'captured', providerPaymentId: `test_${orderId}` };
        case 'tok_down':
          throw new PaymentUnavailableError('Test gateway: provider unavailable (tok_down)');
        default:
          return { outcome: 'declined' };
      }
    },
    async refund() {
      // The test provider holds no money: a refund of a test capture always succeeds.
    },
  };
}
