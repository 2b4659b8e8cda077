import { chargePaymentInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { payments } from '../payment-composition.js';

export const handler = sagaTaskHandler({
  input: chargePaymentInput,
  handle: (input) => payments.chargePayment(input),
});
