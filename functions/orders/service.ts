import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/orders/handlers';

export const ordersService = defineService({
  name: 'orders',
  table: standardTable,
  publishes: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'],
  routes: {
    placeOrder: {
      method: 'POST',
      path: '/orders',
      handler: `${handlers}/place-order.ts`,
      access: ['admin', 'member'],
    },
    listOrders: {
      method: 'GET',
      path: '/orders',
      handler: `${handlers}/list-orders.ts`,
      access: ['admin', 'member'],
    },
    // Owner or admin: the use case answers 404 to anyone else, so existence does not leak.
    getOrder: {
      method: 'GET',
      path: '/orders/{id}',
      handler: `${handlers}/get-order.ts`,
      access: ['admin', 'member'],
    },
  },
  sagaTasks: {
    ClaimOrder: { handler: `${handlers}/claim-order.ts` },
    ConfirmOrder: { handler: `${handlers}/confirm-order.ts` },
    CancelOrder: { handler: `${handlers}/cancel-order.ts` },
  },
});
