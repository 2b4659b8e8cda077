/**
 * Payments and invoices. Pure: ids and time are passed in. A payment is recorded once per order;
 * its invoice is PAID when captured and REFUNDED when the saga compensates. A refund that finds no
 * payment recorded voids the order's payment instead, so a charge arriving after its own
 * compensation is refused (and refunded if the provider took it).
 *
 * An invoice is the captured payment's document: every field of it is the payment's, so it is
 * read from the payment and never stored apart (a second item would double every capture's and
 * refund's writes).
 */
export type PaymentStatus = 'CAPTURED' | 'DECLINED' | 'REFUNDED';

export interface Payment {
  paymentId: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  providerPaymentId?: string;
  invoiceId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface VoidedPayment {
  orderId: string;
  status: 'VOIDED';
  createdAt: string;
}

export type PaymentRecord = Payment | VoidedPayment;

export interface Invoice {
  invoiceId: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: 'PAID' | 'REFUNDED';
  createdAt: string;
}

/** The invoice of a captured (or since refunded) payment; none for any other. */
export function invoiceOf(payment: PaymentRecord): Invoice | undefined {
  if (payment.status !== 'CAPTURED' && payment.status !== 'REFUNDED') return undefined;
  if (!payment.invoiceId) return undefined;
  return {
    invoiceId: payment.invoiceId,
    orderId: payment.orderId,
    userId: payment.userId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status === 'CAPTURED' ? 'PAID' : 'REFUNDED',
    createdAt: payment.createdAt,
  };
}
