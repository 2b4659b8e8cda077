import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpHandler } from '../../shared/http-handler.js';
import { idempotencyKeyOf } from '../../shared/idempotency.js';
import { metrics } from '../../shared/powertools.js';
import { orders } from '../composition.js';
import { placeOrderSchema } from '../domain/order.js';
import { ordersService } from '../service.js';
import { orderLocation, orderResponse } from './order-http.js';

export const handler = httpHandler({
  route: ordersService.routes.placeOrder,
  body: placeOrderSchema,
  handle: async ({ caller, body, headers, correlationId }) => {
    const idempotencyKey = idempotencyKeyOf(headers);
    const result = await orders.placeOrder({
      caller,
      correlationId,
      input: body,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    if (!result.replayed) metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1);
    return orderResponse(result.statusCode, result.order, {
      Location: orderLocation(result.order.orderId),
      // The de facto marker (Stripe and others) that tells a client this is a replayed response.
      ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    });
  },
});
