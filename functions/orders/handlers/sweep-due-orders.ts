/**
 * The sweeper, run every minute: every order still PENDING past its settlement deadline gets an
 * execution of the saga's sweep path, which takes the order over and runs the compensations it
 * needs (refund, release, cancel as EXPIRED).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { requiredEnv } from '../../shared/env.js';
import { instrumented } from '../../shared/instrumented.js';
import { logger, metrics } from '../../shared/powertools.js';
import { orderSagaArnVariable } from '../../shared/service-definition.js';
import { stepFunctionsSweepStarter } from '../adapters/step-functions-sweep-starter.js';
import { orderDependencies } from '../composition.js';
import { orderUseCases } from '../domain/order-use-cases.js';

const sweeper = orderUseCases({
  ...orderDependencies,
  sweepStarter: stepFunctionsSweepStarter(requiredEnv(orderSagaArnVariable)),
});

export const handler = instrumented<unknown, { swept: number }>().handler(async () => {
  const swept = await sweeper.sweepDueOrders();
  metrics.addMetric('OrdersSwept', MetricUnit.Count, swept);
  if (swept > 0) logger.warn('orders left PENDING past their deadline are being settled', { swept });
  return { swept };
});
