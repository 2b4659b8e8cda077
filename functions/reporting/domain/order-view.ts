/**
 * The order view, a read model built only from events, and the rules that make it safe to build
 * from at-least-once, out-of-order delivery. Pure: no AWS imports.
 *
 * - Idempotent: an event whose id the view has applied changes nothing.
 * - Order-insensitive: every field is a merge that gives the same result whatever order the events
 *   arrive in. A settled status (CONFIRMED, CANCELLED) is never replaced by PENDING, however late
 *   OrderPlaced comes; history is kept sorted by the time each change happened, not by arrival.
 */
import type { EventDetail } from '../../../events/envelope.js';

export const orderViewStatuses = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderViewStatus = (typeof orderViewStatuses)[number];

export interface OrderLineView {
  productId: string;
  quantity: number;
  unitPriceCents?: number;
}

export interface InvoiceView {
  invoiceId: string;
  amountCents: number;
  currency: string;
  status: 'PAID' | 'REFUNDED';
}

export interface StatusChange {
  status: OrderViewStatus;
  reason?: string;
  at: string;
}

export interface OrderView {
  orderId: string;
  /** Known once OrderPlaced (or a settlement event) arrived. */
  userId?: string;
  status: OrderViewStatus;
  statusReason?: string;
  totalCents?: number;
  currency?: string;
  /** When the order was placed; known once OrderPlaced arrived. */
  createdAt?: string;
  updatedAt: string;
  /** Placed lines until OrderConfirmed brings the catalog's prices; placed lines never replace priced ones. */
  items: OrderLineView[];
  invoice?: InvoiceView;
  history: StatusChange[];
  appliedEventIds: string[];
}

interface RefundData {
  orderId: string;
  invoiceId: string;
  amountCents: number;
  currency: string;
}

/** The events the view is built from, by detail type, with the data their contracts define. */
export type OrderViewEvent = EventDetail<unknown> &
  (
    | {
        detailType: 'OrderPlaced';
        data: {
          orderId: string;
          userId: string;
          items: { productId: string; quantity: number }[];
          createdAt: string;
        };
      }
    | {
        detailType: 'OrderConfirmed';
        data: {
          orderId: string;
          userId: string;
          items: Required<OrderLineView>[];
          totalCents: number;
          currency: string;
          invoiceId: string;
          confirmedAt: string;
        };
      }
    | {
        detailType: 'OrderCancelled';
        data: { orderId: string; userId: string; reason: string; cancelledAt: string };
      }
    | { detailType: 'PaymentRefunded'; data: RefundData }
  );

const settled = (status: OrderViewStatus) => status !== 'PENDING';

/** Only OrderConfirmed writes prices, so priced lines mean the confirmation has been applied. */
const isPriced = (view: OrderView) => view.items.some((line) => line.unitPriceCents !== undefined);

/** ISO 8601 UTC timestamps order as strings. */
const later = (a: string, b: string): string => (a.localeCompare(b) >= 0 ? a : b);

function withChange(history: StatusChange[], change: StatusChange): StatusChange[] {
  if (history.some((entry) => entry.status === change.status && entry.at === change.at)) return history;
  return [...history, change].sort((a, b) => a.at.localeCompare(b.at) || a.status.localeCompare(b.status));
}

/** The current status: a settled status beats PENDING whatever the times; the latest settled one wins. */
function statusOf(history: StatusChange[]): StatusChange | undefined {
  const settledChanges = history.filter((entry) => settled(entry.status));
  return settledChanges.at(-1) ?? history.at(-1);
}

function emptyOrderView(orderId: string, at: string): OrderView {
  return {
    orderId,
    status: 'PENDING',
    updatedAt: at,
    items: [],
    history: [],
    appliedEventIds: [],
  };
}

/** The view after `event`, or the same object when the event was applied before. */
export function applyToOrderView(current: OrderView | undefined, event: OrderViewEvent): OrderView {
  const { eventId, occurredAt } = event.metadata;
  const base = current ?? emptyOrderView(event.data.orderId, occurredAt);
  if (base.appliedEventIds.includes(eventId)) return base;
  let next: OrderView = {
    ...base,
    updatedAt: later(base.updatedAt, occurredAt),
    appliedEventIds: [...base.appliedEventIds, eventId],
  };
  switch (event.detailType) {
    case 'OrderPlaced': {
      const { userId, items, createdAt } = event.data;
      next = {
        ...next,
        userId,
        createdAt,
        ...(isPriced(next)
          ? {}
          : { items: items.map(({ productId, quantity }) => ({ productId, quantity })) }),
        history: withChange(next.history, { status: 'PENDING', at: createdAt }),
      };
      break;
    }
    case 'OrderConfirmed': {
      const { userId, items, totalCents, currency, invoiceId, confirmedAt } = event.data;
      // An order is confirmed only after its total was captured, so the confirmation names the
      // paid invoice and PaymentCaptured adds nothing the view needs. A refund is final.
      const invoiceStatus = next.invoice?.status === 'REFUNDED' ? 'REFUNDED' : 'PAID';
      next = {
        ...next,
        userId,
        items: items.map(({ productId, quantity, unitPriceCents }) => ({
          productId,
          quantity,
          unitPriceCents,
        })),
        totalCents,
        currency,
        invoice: { invoiceId, amountCents: totalCents, currency, status: invoiceStatus },
        history: withChange(next.history, { status: 'CONFIRMED', at: confirmedAt }),
      };
      break;
    }
    case 'OrderCancelled': {
      const { userId, reason, cancelledAt } = event.data;
      next = {
        ...next,
        userId,
        history: withChange(next.history, { status: 'CANCELLED', reason, at: cancelledAt }),
      };
      break;
    }
    case 'PaymentRefunded': {
      const { invoiceId, amountCents, currency } = event.data;
      next = { ...next, invoice: { invoiceId, amountCents, currency, status: 'REFUNDED' } };
      break;
    }
  }
  const latest = statusOf(next.history);
  const { statusReason: _previousReason, ...withoutReason } = next;
  return {
    ...withoutReason,
    status: latest?.status ?? 'PENDING',
    ...(latest?.reason ? { statusReason: latest.reason } : {}),
  };
}
