import { httpHandler } from '../../shared/http-handler.js';
import { orders } from '../composition.js';
import { ordersService } from '../service.js';
import { orderPath, orderResponse } from './order-http.js';

export const handler = httpHandler({
  route: ordersService.routes.getOrder,
  path: orderPath,
  handle: async ({ caller, path }) => orderResponse(200, await orders.getOrder(caller, path.id)),
});
