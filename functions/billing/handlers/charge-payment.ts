import { chargePaymentInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { billing } from '../composition.js';

export const handler = sagaTaskHandler({
  input: chargePaymentInput,
  handle: (input) => billing.chargePayment(input),
});
