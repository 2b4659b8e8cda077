/**
 * Payments and invoices. Pure: ids and time are passed in. A payment is recorded once per order;
 * its invoice is PAID when captured and REFUNDED when the saga compensates.
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

export interface Invoice {
  invoiceId: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: 'PAID' | 'REFUNDED';
  createdAt: string;
}
