/**
 * The factory for Lambdas invoked as Task states of the order saga: Powertools logging, tracing
 * and metrics, and zod parsing of the task input. A bad input fails with `InvalidTaskInputError`,
 * which the ASL does not retry; any other error propagates so the state's Retry/Catch apply.
 *
 * @example
 * export const handler = sagaTaskHandler({ input: reserveStockInput, handle: (input) => reserve(input) });
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { sagaErrors } from '../../tasks/order-saga-tasks.js';
import { instrumented } from './instrumented.js';
import { correlate, logger, metrics } from './powertools.js';

export class InvalidTaskInputError extends Error {
  override readonly name = sagaErrors.invalidTaskInput;
}

export type SagaTaskHandler<Output> = (event: unknown, context: Context) => Promise<Output>;

interface StepIdentity {
  tenantId: string;
  orderId: string;
  correlationId: string;
}

export function sagaTaskHandler<Input extends StepIdentity, Output>(options: {
  input: z.ZodMiniType<Input>;
  handle: (input: Input) => Promise<Output>;
}): SagaTaskHandler<Output> {
  return instrumented<unknown, Output>().handler(async (event) => {
    const parsed = options.input.safeParse(event);
    if (!parsed.success) {
      metrics.addMetric('SagaTaskFailed', MetricUnit.Count, 1);
      throw new InvalidTaskInputError(`Task input rejected: ${parsed.error.message}`);
    }
    const { tenantId, orderId, correlationId } = parsed.data;
    correlate(correlationId);
    logger.appendKeys({ tenantId, orderId });
    try {
      const output = await options.handle(parsed.data);
      logger.info('saga task completed');
      return output;
    } catch (error) {
      metrics.addMetric('SagaTaskFailed', MetricUnit.Count, 1);
      logger.warn('saga task failed', { error: error instanceof Error ? error.name : String(error) });
      throw error;
    }
  });
}
