import * as z from 'zod/mini';

export const paymentData = z.strictObject({
  orderId: z.string(),
  paymentId: z.string(),
  invoiceId: z.string(),
  amountCents: z.int(),
  currency: z.string(),
});

export const samplePayment = {
  orderId: '01JD0000000000000000000001',
  paymentId: '01JD0000000000000000000003',
  invoiceId: '01JD0000000000000000000002',
  amountCents: 3998,
  currency: 'EUR',
};
