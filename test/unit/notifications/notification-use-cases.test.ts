import { cancellationReasons, orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import type { InboxRepository } from '../../../functions/notifications/domain/inbox-port.js';
import type { Notification } from '../../../functions/notifications/domain/notification.js';
import { notificationUseCases } from '../../../functions/notifications/domain/notification-use-cases.js';

/** An inbox with the real adapter's rule: one notification per id, listed newest first. */
function inMemoryInbox(): InboxRepository & { entries: Map<string, Notification> } {
  const entries = new Map<string, Notification>();
  return {
    entries,
    async add(tenantId, userId, notification) {
      const key = `${tenantId}/${userId}/${notification.notificationId}`;
      if (entries.has(key)) return false;
      entries.set(key, notification);
      return true;
    },
    async list(tenantId, userId) {
      const prefix = `${tenantId}/${userId}/`;
      const items = [...entries]
        .filter(([key]) => key.startsWith(prefix))
        .map(([, notification]) => notification)
        .sort((a, b) => b.notificationId.localeCompare(a.notificationId));
      return { items };
    },
  };
}

const metadata = (eventId: string) => ({
  eventId,
  eventVersion: 1,
  tenantId: 't1',
  correlationId: 'c1',
  occurredAt: '2026-11-29T10:00:00.000Z',
});

describe('notifications', () => {
  it("tells the order's owner that the order is confirmed, with its total", async () => {
    const inbox = inMemoryInbox();
    const { notifyOrderSettled, listNotifications } = notificationUseCases({ inbox });

    await notifyOrderSettled({
      detailType: 'OrderConfirmed',
      metadata: metadata('01E1'),
      data: orderConfirmed.sample,
    });

    const { items } = await listNotifications(
      { tenantId: 't1', userId: orderConfirmed.sample.userId, roles: ['member'] },
      { limit: 20 },
    );
    expect(items).toEqual([
      {
        notificationId: '01E1',
        type: 'ORDER_CONFIRMED',
        orderId: orderConfirmed.sample.orderId,
        message: expect.stringMatching(/is confirmed: \d+\.\d{2} [A-Z]{3}\.$/),
        createdAt: '2026-11-29T10:00:00.000Z',
      },
    ]);
  });

  it.each(cancellationReasons)('explains a cancellation for %s', async (reason) => {
    const inbox = inMemoryInbox();

    await notificationUseCases({ inbox }).notifyOrderSettled({
      detailType: 'OrderCancelled',
      metadata: metadata('01E2'),
      data: { ...orderCancelled.sample, reason },
    });

    const [notification] = inbox.entries.values();
    expect(notification).toMatchObject({
      type: 'ORDER_CANCELLED',
      message: expect.stringContaining('was cancelled: '),
    });
    expect(notification?.message).not.toContain(reason);
  });

  it('adds a redelivered event once, and shows it to nobody but the owner', async () => {
    const inbox = inMemoryInbox();
    const { notifyOrderSettled, listNotifications } = notificationUseCases({ inbox });
    const event = {
      detailType: 'OrderConfirmed' as const,
      metadata: metadata('01E3'),
      data: orderConfirmed.sample,
    };

    await notifyOrderSettled(event);
    await notifyOrderSettled(event);

    expect(inbox.entries.size).toBe(1);
    const someoneElse = await listNotifications(
      { tenantId: 't1', userId: 'other', roles: ['admin'] },
      { limit: 20 },
    );
    expect(someoneElse.items).toEqual([]);
  });
});
