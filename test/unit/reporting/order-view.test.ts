import fc from 'fast-check';
import {
  applyToOrderView,
  type OrderView,
  type OrderViewEvent,
} from '../../../functions/reporting/domain/order-view.js';

const orderId = '01JORDER000000000000000001';
const metadata = (eventId: string, occurredAt: string) => ({
  eventId,
  eventVersion: 1,
  tenantId: 't1',
  correlationId: 'c1',
  occurredAt,
});

const placed: OrderViewEvent = {
  detailType: 'OrderPlaced',
  metadata: metadata('e1', '2026-11-29T10:00:00.000Z'),
  data: {
    orderId,
    userId: 'u1',
    items: [{ productId: 'p1', quantity: 2 }],
    createdAt: '2026-11-29T10:00:00.000Z',
  },
};
const confirmed: OrderViewEvent = {
  detailType: 'OrderConfirmed',
  metadata: metadata('e3', '2026-11-29T10:00:02.000Z'),
  data: {
    orderId,
    userId: 'u1',
    items: [{ productId: 'p1', quantity: 2, unitPriceCents: 1200 }],
    totalCents: 2400,
    currency: 'EUR',
    invoiceId: 'inv1',
    confirmedAt: '2026-11-29T10:00:02.000Z',
  },
};
const refunded: OrderViewEvent = {
  detailType: 'PaymentRefunded',
  metadata: metadata('e4', '2026-11-29T10:00:03.000Z'),
  data: { orderId, invoiceId: 'inv1', amountCents: 2400, currency: 'EUR' },
};
const cancelled: OrderViewEvent = {
  detailType: 'OrderCancelled',
  metadata: metadata('e5', '2026-11-29T10:00:04.000Z'),
  data: { orderId, userId: 'u1', reason: 'CONFIRMATION_FAILED', cancelledAt: '2026-11-29T10:00:04.000Z' },
};

const applyAll = (events: readonly OrderViewEvent[]) =>
  events.reduce<OrderView | undefined>(
    (view, event) => applyToOrderView(view, event),
    undefined,
  ) as OrderView;

/** The view without the bookkeeping of which events arrived when. */
const visible = ({ appliedEventIds, ...view }: OrderView) => ({
  ...view,
  applied: [...appliedEventIds].sort(),
});

/** Every order's lifecycle the saga can produce, in the order it produces the events. */
const lifecycles: Record<string, OrderViewEvent[]> = {
  confirmed: [placed, confirmed],
  'cancelled before payment': [placed, { ...cancelled, data: { ...cancelled.data, reason: 'OUT_OF_STOCK' } }],
  'refunded then cancelled': [placed, refunded, cancelled],
};

describe('the order view', () => {
  it('shows a confirmed order priced, paid (the invoice its confirmation names) and with its history', () => {
    const view = applyAll(lifecycles.confirmed as OrderViewEvent[]);

    expect(view).toMatchObject({
      orderId,
      userId: 'u1',
      status: 'CONFIRMED',
      totalCents: 2400,
      currency: 'EUR',
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T10:00:02.000Z',
      items: [{ productId: 'p1', quantity: 2, unitPriceCents: 1200 }],
      invoice: { invoiceId: 'inv1', amountCents: 2400, currency: 'EUR', status: 'PAID' },
      history: [
        { status: 'PENDING', at: '2026-11-29T10:00:00.000Z' },
        { status: 'CONFIRMED', at: '2026-11-29T10:00:02.000Z' },
      ],
    });
    expect(view.statusReason).toBeUndefined();
  });

  it('shows the reason of a cancellation and a refunded invoice', () => {
    const view = applyAll(lifecycles['refunded then cancelled'] as OrderViewEvent[]);

    expect(view).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'CONFIRMATION_FAILED',
      invoice: { status: 'REFUNDED' },
    });
  });

  it('returns the same object for an event it applied before, so nothing is written', () => {
    const view = applyAll([placed, confirmed]);

    expect(applyToOrderView(view, confirmed)).toBe(view);
  });

  it('never moves a settled order back to PENDING when OrderPlaced arrives last', () => {
    const view = applyAll([confirmed, placed]);

    expect(view.status).toBe('CONFIRMED');
    expect(view.items).toEqual([{ productId: 'p1', quantity: 2, unitPriceCents: 1200 }]);
  });

  it.each(Object.keys(lifecycles))(
    'is the same whatever order and however often the events of a %s order arrive',
    (name) => {
      const events = lifecycles[name] as OrderViewEvent[];
      const expected = visible(applyAll(events));
      fc.assert(
        fc.property(
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          fc.array(fc.nat(events.length - 1), { maxLength: 6 }),
          (shuffled, duplicates) => {
            const delivered = [...shuffled];
            for (const index of duplicates) {
              delivered.splice(index % (delivered.length + 1), 0, events[index] as OrderViewEvent);
            }

            expect(visible(applyAll(delivered))).toEqual(expected);
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});
