import type { WriteContext } from '../../shared/outbox.js';
import type { Invoice, Payment } from './payment.js';

export type { WriteContext };

/** What billing's use cases need from storage. Each write carries its event in the same transaction. */
export interface BillingRepository {
  getPayment(tenantId: string, orderId: string): Promise<Payment | undefined>;
  /** Payment + PAID invoice + PaymentCaptured; false if the order already has a payment. */
  recordCapture(context: WriteContext, payment: Payment, invoice: Invoice): Promise<boolean>;
  /** Declined payment + PaymentFailed; false if the order already has a payment. */
  recordDecline(context: WriteContext, payment: Payment): Promise<boolean>;
  /** Payment and invoice REFUNDED + PaymentRefunded; false if the payment was not CAPTURED. */
  recordRefund(context: WriteContext, payment: Payment, now: string): Promise<boolean>;
  listInvoices(tenantId: string, orderId: string): Promise<Invoice[]>;
}

/** How many times the provider was asked to charge an order: the test gateway's memory. */
export interface ChargeAttemptCounter {
  increment(tenantId: string, orderId: string): Promise<number>;
}
