import type { WriteContext } from '../../shared/outbox.js';
import type { Invoice, Payment, PaymentRecord } from './payment.js';

export type { WriteContext };

/** What billing's use cases need from storage. Each write carries its event in the same transaction. */
export interface BillingRepository {
  getPayment(tenantId: string, orderId: string): Promise<PaymentRecord | undefined>;
  /** Payment + PAID invoice + PaymentCaptured; false if the order already has a payment. */
  recordCapture(context: WriteContext, payment: Payment, invoice: Invoice): Promise<boolean>;
  /** Declined payment + PaymentFailed; false if the order already has a payment. */
  recordDecline(context: WriteContext, payment: Payment): Promise<boolean>;
  /** Payment and invoice REFUNDED + PaymentRefunded; false if the payment was not CAPTURED. */
  recordRefund(context: WriteContext, payment: Payment, now: string): Promise<boolean>;
  /** A VOIDED payment for an order with none recorded; false if a payment was recorded first. */
  recordVoid(tenantId: string, orderId: string, now: string): Promise<boolean>;
  listInvoices(tenantId: string, orderId: string): Promise<Invoice[]>;
}

/** Payment tokens the orders service deposited, by payment reference (see functions/shared/payment-vault.ts). */
export interface PaymentTokenVault {
  /** The token, or undefined when the deposit was deleted or has expired at `now`. */
  find(tenantId: string, paymentReference: string, now: Date): Promise<string | undefined>;
  /** Deletes the deposit once the charge's outcome is recorded. */
  forget(tenantId: string, paymentReference: string): Promise<void>;
}
