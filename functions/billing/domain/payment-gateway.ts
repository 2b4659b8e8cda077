import { sagaErrors } from '../../../statemachines/order-saga-tasks.js';

/** A payment provider, seen from billing. The order id is the provider's idempotency key. */
export interface PaymentGateway {
  /** Throws PaymentUnavailableError when the provider cannot answer now. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<void>;
}

export interface ChargeRequest {
  tenantId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  paymentToken: string;
}

export type ChargeOutcome = { outcome: 'captured'; providerPaymentId: string } | { outcome: 'declined' };

export interface RefundRequest {
  tenantId: string;
  orderId: string;
  providerPaymentId: string;
  amountCents: number;
  currency: string;
}

/** A transient provider failure; the saga retries it with backoff (matched by this name in the ASL). */
export class PaymentUnavailableError extends Error {
  override readonly name = sagaErrors.paymentUnavailable;
}
