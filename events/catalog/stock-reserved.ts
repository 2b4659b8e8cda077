import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { pricedLineData } from '../orders/order-schema.js';

export const stockReserved = defineEvent({
  source: 'saas.catalog',
  detailType: 'StockReserved',
  version: 1,
  data: z.strictObject({
    orderId: z.string(),
    lines: z.array(pricedLineData),
    totalCents: z.int(),
    currency: z.string(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    lines: [{ productId: '01JD0000000000000000000000', quantity: 2, unitPriceCents: 1999 }],
    totalCents: 3998,
    currency: 'EUR',
  },
});
