import type { WriteContext } from '../../shared/outbox.js';
import type { Payment, PaymentRecord } from './payment.js';

export type { WriteContext };

/** What billing's use cases need from storage. Each write carries its event in the same transaction. */
export interface BillingRepository {
  getPayment(tenantId: string, orderId: string): Promise<PaymentRecord | undefined>;
  /** Captured payment (its invoice PAID) + PaymentCaptured; false if the order already has a payment. */
  recordCapture(context: WriteContext, payment: Payment): Promise<boolean>;
  /** Declined payment + PaymentFailed; false if the order already has a payment. */
  recordDecline(context: WriteContext, payment: Payment): Promise<boolean>;
  /** Payment (and so its invoice) REFUNDED + PaymentRefunded; false if the payment was not CAPTURED. */
  recordRefund(context: WriteContext, payment: Payment, now: string): Promise<boolean>;
  /** A VOIDED payment for an order with none recorded; false if a payment was recorded first. */
  recordVoid(tenantId: string, orderId: string, now: string): Promise<boolean>;
}

/** The payment token of a PENDING order (see functions/shared/order-payment-token.ts). */
export interface PaymentTokens {
  /** Undefined when the order is settled or unknown: nothing is left to charge. */
  find(tenantId: string, orderId: string): Promise<string | undefined>;
}
