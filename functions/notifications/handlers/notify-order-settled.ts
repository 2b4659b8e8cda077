import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import { eventConsumer } from '../../shared/event-consumer.js';
import { notifications } from '../composition.js';
import type { OrderSettledEvent } from '../domain/notification-use-cases.js';

export const handler = eventConsumer({
  contracts: [orderConfirmed, orderCancelled],
  // The contracts above validated the detail, so its shape is the one their detail types name.
  handle: (event) => notifications.notifyOrderSettled(event as OrderSettledEvent),
});
