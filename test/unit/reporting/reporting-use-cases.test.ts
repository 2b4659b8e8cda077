import type { OrderViewEvent } from '../../../functions/reporting/domain/order-view.js';
import type {
  ReportingRepository,
  StoredOrderView,
} from '../../../functions/reporting/domain/reporting-port.js';
import { reportingUseCases } from '../../../functions/reporting/domain/reporting-use-cases.js';
import type { ConfirmedSale } from '../../../functions/reporting/domain/sales.js';

const placed: OrderViewEvent = {
  detailType: 'OrderPlaced',
  metadata: {
    eventId: 'e1',
    eventVersion: 1,
    tenantId: 't1',
    correlationId: 'c1',
    occurredAt: '2026-11-29T10:00:00.000Z',
  },
  data: {
    orderId: 'o1',
    userId: 'u1',
    items: [{ productId: 'p1', quantity: 1 }],
    createdAt: '2026-11-29T10:00:00.000Z',
  },
};

const confirmed = (eventId: string): OrderViewEvent => ({
  detailType: 'OrderConfirmed',
  metadata: { ...placed.metadata, eventId, occurredAt: '2026-11-29T10:00:05.000Z' },
  data: {
    orderId: 'o1',
    userId: 'u1',
    items: [{ productId: 'p1', quantity: 1, unitPriceCents: 700 }],
    totalCents: 700,
    currency: 'EUR',
    invoiceId: 'inv1',
    confirmedAt: '2026-11-29T10:00:05.000Z',
  },
});

/**
 * A view store whose writes lose the optimistic race `conflicts` times before one wins; it keeps
 * the sales that winning writes carried.
 */
function racingRepository(conflicts: number) {
  let stored: StoredOrderView | undefined;
  let writes = 0;
  const sales: ConfirmedSale[] = [];
  const repository = {
    getOrderView: async () => stored,
    putOrderView: async (
      _: string,
      view: StoredOrderView['view'],
      expected: number | undefined,
      sale?: ConfirmedSale,
    ) => {
      writes += 1;
      if (writes <= conflicts) return false;
      stored = { view, revision: (expected ?? 0) + 1 };
      if (sale) sales.push(sale);
      return true;
    },
  } as unknown as ReportingRepository;
  return { repository, writes: () => writes, stored: () => stored, sales };
}

describe('projecting an order event', () => {
  it('reads again and retries when a concurrent event wrote the view first', async () => {
    const racing = racingRepository(2);

    await reportingUseCases({ repository: racing.repository }).project(placed);

    expect(racing.writes()).toBe(3);
    expect(racing.stored()?.view.status).toBe('PENDING');
  });

  it("counts the sale with the view's first confirmed write only, not with a second confirmation", async () => {
    const racing = racingRepository(1);
    const { project } = reportingUseCases({ repository: racing.repository });

    await project(placed);
    await project(confirmed('e2'));
    await project(confirmed('e3'));

    expect(racing.sales).toEqual([{ orderId: 'o1', date: '2026-11-29', currency: 'EUR', revenueCents: 700 }]);
    expect(racing.stored()?.view.appliedEventIds).toEqual(['e1', 'e2', 'e3']);
  });

  it('fails after 5 lost races, so the queue retries the event later', async () => {
    const racing = racingRepository(Number.POSITIVE_INFINITY);

    await expect(reportingUseCases({ repository: racing.repository }).project(placed)).rejects.toThrow(
      'kept changing',
    );
    expect(racing.writes()).toBe(5);
  });
});
