import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';

/** Written when the provider declines; a provider that stays unavailable is the saga's concern. */
export const paymentFailed = defineEvent({
  source: 'saas.billing',
  detailType: 'PaymentFailed',
  version: 1,
  data: z.strictObject({
    orderId: z.string(),
    amountCents: z.int(),
    currency: z.string(),
    reason: z.literal('DECLINED'),
  }),
  sample: { orderId: '01JD0000000000000000000001', amountCents: 3998, currency: 'EUR', reason: 'DECLINED' },
});
