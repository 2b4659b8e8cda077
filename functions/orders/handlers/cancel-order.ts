import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type CancelOrderOutput, cancelOrderInput } from '../../../tasks/order-saga-tasks.js';
import { metrics } from '../../shared/powertools.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: cancelOrderInput,
  handle: async (input): Promise<CancelOrderOutput> => {
    await orders.cancelOrder(input);
    // Its own EMF document, so the reason dimension does not spread to the task's other metrics.
    const cancelled = metrics.singleMetric();
    cancelled.addDimension('reason', input.cancellation.reason);
    cancelled.addMetric('OrdersCancelled', MetricUnit.Count, 1);
    return { status: 'CANCELLED' };
  },
});
