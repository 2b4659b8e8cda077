import { httpHandler } from '../../shared/http-handler.js';
import { orders } from '../composition.js';
import { ordersService } from '../service.js';
import { listOrdersQuery, orderView } from './order-http.js';

export const handler = httpHandler({
  route: ordersService.routes.listOrders,
  query: listOrdersQuery,
  handle: async ({ caller, query }) => {
    const { items, nextCursor } = await orders.listOrders(caller, query);
    return {
      statusCode: 200,
      body: { items: items.map(orderView), ...(nextCursor === undefined ? {} : { nextCursor }) },
    };
  },
});
