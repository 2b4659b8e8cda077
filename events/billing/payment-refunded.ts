import { defineEvent } from '../envelope.js';
import { paymentData, samplePayment } from './payment-schema.js';

export const paymentRefunded = defineEvent({
  source: 'saas.billing',
  detailType: 'PaymentRefunded',
  version: 1,
  data: paymentData,
  sample: samplePayment,
});
