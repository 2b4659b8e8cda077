/**
 * The deterministic test gateway the contract defines, chosen by payment token:
 * `tok_ok` captures; `tok_declined` is declined; `tok_flaky` is unavailable on the first attempt for
 * an order and captures after; `tok_down` is always unavailable; any other token is declined.
 * Like a real provider it keeps its own books (attempts, captures, refunds) apart from billing's
 * records, in the billing table so they hold across Lambda instances; the invariant tests read
 * them to prove that no cancelled order keeps money.
 */
import {
  type CapturedCharge,
  type PaymentGateway,
  PaymentUnavailableError,
} from '../domain/payment-gateway.js';

/** The test provider's books for one order: a capture (at most one, by order) and its refund. */
export interface TestProviderCharge extends CapturedCharge {
  refunded: boolean;
}

export interface TestProviderBooks {
  countAttempt(tenantId: string, orderId: string): Promise<number>;
  /** Records the order's capture unless it has one; returns the capture the books hold. */
  capture(tenantId: string, orderId: string, charge: CapturedCharge): Promise<CapturedCharge>;
  markRefunded(tenantId: string, orderId: string): Promise<void>;
  find(tenantId: string, orderId: string): Promise<TestProviderCharge | undefined>;
}

export function testPaymentGateway(books: TestProviderBooks): PaymentGateway {
  const capture = async (request: {
    tenantId: string;
    orderId: string;
    amountCents: number;
    currency: string;
  }) => {
    const { providerPaymentId } = await books.capture(request.tenantId, request.orderId, {
      providerPaymentId: `test_${request.orderId}`,
      amountCents: request.amountCents,
      currency: request.currency,
    });
    return { outcome: 'captured', providerPaymentId } as const;
  };
  return {
    async charge(request) {
      switch (request.paymentToken) {
        case 'tok_ok':
          return capture(request);
        case 'tok_flaky':
          if ((await books.countAttempt(request.tenantId, request.orderId)) === 1) {
            throw new PaymentUnavailableError(
              'Test gateway: transient failure on the first attempt (tok_flaky)',
            );
          }
          return capture(request);
        case 'tok_down':
          throw new PaymentUnavailableError('Test gateway: provider unavailable (tok_down)');
        default:
          return { outcome: 'declined' };
      }
    },
    async refund({ tenantId, orderId }) {
      await books.markRefunded(tenantId, orderId);
    },
    async findCapture({ tenantId, orderId }) {
      const charge = await books.find(tenantId, orderId);
      if (!charge || charge.refunded) return undefined;
      const { providerPaymentId, amountCents, currency } = charge;
      return { providerPaymentId, amountCents, currency };
    },
  };
}
