import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';

export const cancellationReasons = [
  'PRODUCT_NOT_FOUND',
  'OUT_OF_STOCK',
  'CURRENCY_MISMATCH',
  'PAYMENT_DECLINED',
  'PAYMENT_UNAVAILABLE',
  'CONFIRMATION_FAILED',
  /** The reservation step failed after its retries (not a stock decision). */
  'RESERVATION_FAILED',
  /** The charge failed after its retries with an error other than the provider being unavailable. */
  'PAYMENT_FAILED',
  /** Still PENDING past its settlement deadline: the sweeper settled it. */
  'EXPIRED',
] as const;

export const orderCancelled = defineEvent({
  source: 'saas.orders',
  detailType: 'OrderCancelled',
  version: 1,
  data: z.strictObject({
    orderId: z.string(),
    userId: z.string(),
    reason: z.enum(cancellationReasons),
    cancelledAt: z.iso.datetime(),
  }),
  sample: {
    orderId: '01JD0000000000000000000001',
    userId: 'user-1',
    reason: 'OUT_OF_STOCK',
    cancelledAt: '2026-11-23T10:00:01.000Z',
  },
});
