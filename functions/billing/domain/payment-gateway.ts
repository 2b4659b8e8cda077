import { sagaErrors } from '../../../tasks/order-saga-tasks.js';

/**
 * A payment provider, seen from billing. A charge is idempotent by order (the provider's
 * idempotency key is derived from the order id), so a retried charge never takes money twice.
 */
export interface PaymentGateway {
  /** Throws PaymentUnavailableError when the provider cannot answer now. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<void>;
  /**
   * What the provider holds for the order and has not refunded: a capture whose recording failed
   * is found here, so its compensation can still give the money back.
   */
  findCapture(request: { tenantId: string; orderId: string }): Promise<CapturedCharge | undefined>;
}

export interface CapturedCharge {
  providerPaymentId: string;
  amountCents: number;
  currency: string;
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
