import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { pricedLineData } from './order-schema.js';

export const orderConfirmed = defineEvent({
  source: 'saas.orders',
  detailType: 'OrderConfirmed',
  version: 1,
  data: z.strictObject({
    orderId: z.string(),
    userId: z.string(),
    items: z.array(pricedLineData),
    totalCents: z.int(),
    currency: z.string(),
    invoiceId: z.string(),
    confirmedAt: z.iso.datetime(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    userId: 'user-1',
    items: [{ productId: '01JD0000000000000000000000', quantity: 2, unitPriceCents: 1999 }],
    totalCents: 3998,
    currency: 'EUR',
    invoiceId: '01JD0000000000000000000002',
    confirmedAt: '2026-11-23T10:00:02.000Z',
  },
});
