import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { pricedLineData } from '../orders/order-schema.js';

export const stockReleased = defineEvent({
  source: 'saas.catalog',
  detailType: 'StockReleased',
  version: 1,
  data: z.strictObject({ orderId: z.string(), lines: z.array(pricedLineData) }),
  sample: {
    orderId: '01JD0000000000000000000001',
    lines: [{ productId: '01JD0000000000000000000000', quantity: 2, unitPriceCents: 1999 }],
  },
});
