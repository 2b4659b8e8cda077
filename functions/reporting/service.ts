import { paymentRefunded } from '../../events/billing/payment-refunded.js';
import { productCreated } from '../../events/catalog/product-created.js';
import { productUpdated } from '../../events/catalog/product-updated.js';
import { orderCancelled } from '../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../events/orders/order-placed.js';
import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/reporting/handlers';

/**
 * The events the read models are built from. Not PaymentCaptured: OrderConfirmed names the paid
 * invoice a moment later, and consuming the capture too would cost every order a queued message,
 * an invocation and a view write for nothing the views show.
 */
export const projectedEvents = [
  productCreated,
  productUpdated,
  orderPlaced,
  orderConfirmed,
  orderCancelled,
  paymentRefunded,
];

/** Read models (CQRS), built only from events: order views and daily sales. */
export const reportingService = defineService({
  name: 'reporting',
  table: standardTable,
  routes: {
    graphql: {
      method: 'POST',
      path: '/graphql',
      handler: `${handlers}/graphql.ts`,
      tableActions: ['BatchGetItem', 'GetItem', 'Query'],
      access: ['admin', 'member'],
    },
    salesReport: {
      method: 'GET',
      path: '/reports/sales',
      handler: `${handlers}/sales-report.ts`,
      tableActions: ['Query'],
      access: ['admin'],
    },
  },
  subscriptions: {
    projectOrders: {
      eventPattern: {
        source: [...new Set(projectedEvents.map((contract) => contract.source))],
        'detail-type': projectedEvents.map((contract) => contract.detailType),
      },
      handler: `${handlers}/project-order-events.ts`,
      tableActions: ['GetItem', 'PutItem', 'UpdateItem'],
    },
  },
});
