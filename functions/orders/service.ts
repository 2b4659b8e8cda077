import { defineService, standardTable } from '../shared/service-definition.js';
import {
  pendingOrdersIndex,
  pendingOrdersIndexAttributes,
  userOrdersIndex,
  userOrdersIndexAttributes,
} from './adapters/orders-keys.js';

const handlers = 'functions/orders/handlers';

export const ordersService = defineService({
  name: 'orders',
  table: {
    ...standardTable,
    // Narrow projections: the claim (and any other write of internal attributes) costs no index write.
    globalSecondaryIndexes: [
      {
        indexName: userOrdersIndex,
        partitionKey: 'GSI1PK',
        sortKey: 'GSI1SK',
        include: userOrdersIndexAttributes,
      },
      {
        indexName: pendingOrdersIndex,
        partitionKey: 'GSI2PK',
        sortKey: 'GSI2SK',
        include: pendingOrdersIndexAttributes,
      },
    ],
  },
  publishes: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'],
  routes: {
    placeOrder: {
      method: 'POST',
      path: '/orders',
      handler: `${handlers}/place-order.ts`,
      tableActions: ['GetItem', 'PutItem'],
      access: ['admin', 'member'],
    },
    listOrders: {
      method: 'GET',
      path: '/orders',
      handler: `${handlers}/list-orders.ts`,
      tableActions: ['Query'],
      access: ['admin', 'member'],
    },
    // Owner or admin: the use case answers 404 to anyone else, so existence does not leak.
    getOrder: {
      method: 'GET',
      path: '/orders/{id}',
      handler: `${handlers}/get-order.ts`,
      tableActions: ['GetItem'],
      access: ['admin', 'member'],
    },
  },
  sagaTasks: {
    ClaimOrder: { handler: `${handlers}/claim-order.ts`, tableActions: ['UpdateItem'] },
    ConfirmOrder: { handler: `${handlers}/confirm-order.ts`, tableActions: ['GetItem', 'PutItem'] },
    CancelOrder: { handler: `${handlers}/cancel-order.ts`, tableActions: ['GetItem', 'PutItem'] },
    TakeOverOrder: { handler: `${handlers}/take-over-order.ts`, tableActions: ['UpdateItem'] },
  },
  schedules: {
    // Settles orders left PENDING past their deadline (ORDER_SETTLEMENT_DEADLINE_SECONDS).
    sweepDueOrders: {
      handler: `${handlers}/sweep-due-orders.ts`,
      everyMinutes: 1,
      uses: ['orderSaga'],
      tableActions: ['Query'],
    },
  },
  alarms: {
    ordersPastDeadline: {
      metricName: 'OrdersSwept',
      threshold: 1,
      description:
        'Orders were still PENDING past their settlement deadline and the sweeper is settling them: a saga execution failed, timed out or never started.',
    },
  },
});
