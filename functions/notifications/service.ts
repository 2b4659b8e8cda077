import { orderCancelled } from '../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../events/orders/order-placed.js';
import { defineService, standardTable } from '../shared/service-definition.js';

const handlers = 'functions/notifications/handlers';

/** Each user's inbox of order updates, fed by the orders service's events. */
export const notificationsService = defineService({
  name: 'notifications',
  table: standardTable,
  routes: {
    listNotifications: {
      method: 'GET',
      path: '/notifications',
      handler: `${handlers}/list-notifications.ts`,
      tableActions: ['Query'],
      access: ['admin', 'member'],
    },
  },
  subscriptions: {
    // One queue for both jobs: a settlement goes to the owner's inbox, and every change is pushed
    // to the connected owner and admins. Two queues would take each event twice.
    orderChanges: {
      eventPattern: {
        source: [orderPlaced.source],
        'detail-type': [orderPlaced.detailType, orderConfirmed.detailType, orderCancelled.detailType],
      },
      handler: `${handlers}/notify-order-change.ts`,
      tableActions: ['Query', 'PutItem', 'DeleteItem'],
      uses: ['webSocketConnections'],
    },
  },
  webSocket: {
    authorizer: { handler: `${handlers}/websocket-authorizer.ts` },
    connect: { handler: `${handlers}/websocket-connect.ts`, tableActions: ['Query', 'PutItem'] },
    disconnect: { handler: `${handlers}/websocket-disconnect.ts`, tableActions: ['Query', 'DeleteItem'] },
  },
});
