/**
 * Payments and invoices. Pure: ids and time are passed in. A payment is recorded once per order;
 * its invoice is PAID when captured and REFUNDED when the saga compensates. A refund that finds no
 * payment recorded voids the order's payment instead, so a charge arriving after its own
 * compensation is refused (and refunded if the provider took it).
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
