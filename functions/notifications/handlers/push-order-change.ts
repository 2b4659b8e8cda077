import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../../events/orders/order-placed.js';
import { eventConsumer } from '../../shared/event-consumer.js';
import { connections } from '../composition.js';
import type { OrderChangeEvent } from '../domain/connection-use-cases.js';

export const handler = eventConsumer({
  contracts: [orderPlaced, orderConfirmed, orderCancelled],
  // The contracts validated the detail, so its data has the shape its detail type names.
  handle: (event) => connections.pushOrderChange(event as OrderChangeEvent),
});
