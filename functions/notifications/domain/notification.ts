/**
 * A notification in a user's inbox, made from an event. Pure: no AWS imports. Its id is the
 * event's id, so the same event delivered twice is the same notification (and ULIDs sort by time,
 * so the inbox lists newest first by id).
 */
import type { cancellationReasons } from '../../../events/orders/order-cancelled.js';

export const notificationTypes = ['ORDER_CONFIRMED', 'ORDER_CANCELLED'] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface Notification {
  notificationId: string;
  type: NotificationType;
  orderId: string;
  message: string;
  createdAt: string;
}

type CancellationReason = (typeof cancellationReasons)[number];

const cancellationText: Record<CancellationReason, string> = {
  PRODUCT_NOT_FOUND: 'a product in it no longer exists',
  OUT_OF_STOCK: 'a product in it is out of stock',
  CURRENCY_MISMATCH: 'its products are priced in different currencies',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment provider could not be reached',
  CONFIRMATION_FAILED: 'it could not be confirmed; any payment was refunded',
  RESERVATION_FAILED: 'its stock could not be reserved; nothing was charged',
  PAYMENT_FAILED: 'the payment could not be completed; any charge was refunded',
  EXPIRED: 'it could not be completed in time; any charge was refunded',
};

const amount = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;

export function orderConfirmedNotification(
  eventId: string,
  occurredAt: string,
  order: { orderId: string; totalCents: number; currency: string },
): Notification {
  return {
    notificationId: eventId,
    type: 'ORDER_CONFIRMED',
    orderId: order.orderId,
    message: `Your order ${order.orderId} is confirmed: ${amount(order.totalCents, order.currency)}.`,
    createdAt: occurredAt,
  };
}

export function orderCancelledNotification(
  eventId: string,
  occurredAt: string,
  order: { orderId: string; reason: CancellationReason },
): Notification {
  return {
    notificationId: eventId,
    type: 'ORDER_CANCELLED',
    orderId: order.orderId,
    message: `Your order ${order.orderId} was cancelled: ${cancellationText[order.reason]}.`,
    createdAt: occurredAt,
  };
}
