import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { orderLineData } from './order-schema.js';

/** Starts the order saga (an EventBridge rule targets the state machine with this event). */
export const orderPlaced = defineEvent({
  source: 'saas.orders',
  detailType: 'OrderPlaced',
  version: 1,
  data: z.strictObject({
    orderId: z.string(),
    userId: z.string(),
    items: z.array(orderLineData).check(z.minLength(1)),
    paymentToken: z.string(),
    createdAt: z.iso.datetime(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    userId: 'user-1',
    items: [{ productId: '01JD0000000000000000000000', quantity: 2 }],
    paymentToken: 'tok_ok',
    createdAt: '2026-11-23T10:00:00.000Z',
  },
});
