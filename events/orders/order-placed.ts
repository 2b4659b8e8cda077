import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';
import { orderLineData } from './order-schema.js';

/**
 * Starts the order saga (an EventBridge rule targets the state machine with this event). Version 2
 * carries a payment reference where version 1 carried the payment token itself (see
 * functions/shared/payment-vault.ts); version 1 was never deployed.
 */
export const orderPlaced = defineEvent({
  source: 'saas.orders',
  detailType: 'OrderPlaced',
  version: 2,
  data: z.strictObject({
    orderId: z.string(),
    userId: z.string(),
    items: z.array(orderLineData).check(z.minLength(1)),
    paymentReference: z.string(),
    createdAt: z.iso.datetime(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    userId: 'user-1',
    items: [{ productId: '01JD0000000000000000000000', quantity: 2 }],
    paymentReference: '01JD0000000000000000000002',
    createdAt: '2026-11-23T10:00:00.000Z',
  },
});
