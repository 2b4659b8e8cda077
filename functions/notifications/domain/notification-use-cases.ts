import type { EventContract, EventDetail } from '../../../events/envelope.js';
import type { orderCancelled } from '../../../events/orders/order-cancelled.js';
import type { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import type { Caller } from '../../shared/auth/caller.js';
import type { Page, PageRequest } from '../../shared/pagination.js';
import type { InboxRepository } from './inbox-port.js';
import { type Notification, orderCancelledNotification, orderConfirmedNotification } from './notification.js';

type DataOf<Contract> = Contract extends EventContract<infer Data> ? Data : never;

/** A settled order as the orders service announces it. */
export type OrderSettledEvent =
  | ({ detailType: 'OrderConfirmed' } & EventDetail<DataOf<typeof orderConfirmed>>)
  | ({ detailType: 'OrderCancelled' } & EventDetail<DataOf<typeof orderCancelled>>);

export function notificationUseCases({ inbox }: { inbox: InboxRepository }) {
  return {
    /** Tells the order's owner. Idempotent: a redelivered event adds nothing. */
    async notifyOrderSettled(event: OrderSettledEvent): Promise<void> {
      const { eventId, occurredAt, tenantId } = event.metadata;
      const notification =
        event.detailType === 'OrderConfirmed'
          ? orderConfirmedNotification(eventId, occurredAt, event.data)
          : orderCancelledNotification(eventId, occurredAt, event.data);
      await inbox.add(tenantId, event.data.userId, notification);
    },

    /** The caller's own notifications, newest first. */
    listNotifications(caller: Caller, page: PageRequest): Promise<Page<Notification>> {
      return inbox.list(caller.tenantId, caller.userId, page);
    },
  };
}
