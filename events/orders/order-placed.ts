import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { orderLineData } from './order-schema.js';

/**
 * Starts the order saga (an EventBridge rule targets the state machine with this event). Version 2
 * no longer carries the payment token: it stays on the order item, where the payment task reads it
 * (functions/shared/order-payment-token.ts). Version 1 was never deployed.
 */
export const orderPlaced = defineEvent({
  source: 'saas.orders',
  detailType: 'OrderPlaced',
  version: 2,
  data: z.strictObject({
    orderId: z.string(),
    userId: z.string(),
    items: z.array(orderLineData).check(z.minLength(1)),
    createdAt: z.iso.datetime(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    userId: 'user-1',
    items: [{ productId: '01JD0000000000000000000000', quantity: 2 }],
    createdAt: '2026-11-23T10:00:00.000Z',
  },
});
