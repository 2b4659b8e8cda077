import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../../events/orders/order-placed.js';
import { eventConsumer } from '../../shared/event-consumer.js';
import { connections, notifications } from '../composition.js';
import type { OrderChangeEvent } from '../domain/connection-use-cases.js';
import type { OrderSettledEvent } from '../domain/notification-use-cases.js';

type NotifiedEvent = OrderSettledEvent | (OrderChangeEvent & { detailType: 'OrderPlaced' });

export const handler = eventConsumer({
  contracts: [orderPlaced, orderConfirmed, orderCancelled],
  // The contracts validated the detail, so its data has the shape its detail type names.
  handle: async (event) => {
    const change = event as NotifiedEvent;
    // The inbox first: a client that a push sends to GET /notifications finds the settlement there.
    if (change.detailType !== 'OrderPlaced') await notifications.notifyOrderSettled(change);
    await connections.pushOrderChange(change);
  },
});
