import { defineEvent } from '../envelope.js';
import { paymentData, samplePayment } from './payment-schema.js';

export const paymentCaptured = defineEvent({
  source: 'saas.billing',
  detailType: 'PaymentCaptured',
  version: 1,
  data: paymentData,
  sample: samplePayment,
});
