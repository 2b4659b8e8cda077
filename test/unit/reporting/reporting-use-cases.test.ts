import type { OrderViewEvent } from '../../../functions/reporting/domain/order-view.js';
import type {
  ReportingRepository,
  StoredOrderView,
} from '../../../functions/reporting/domain/reporting-port.js';
import { reportingUseCases } from '../../../functions/reporting/domain/reporting-use-cases.js';

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

/** A view store whose writes lose the optimistic race `conflicts` times before one wins. */
function racingRepository(conflicts: number) {
  let stored: StoredOrderView | undefined;
  let writes = 0;
  const repository = {
    getOrderView: async () => stored,
    putOrderView: async (_: string, view: StoredOrderView['view'], expected: number | undefined) => {
      writes += 1;
      if (writes <= conflicts) return false;
      stored = { view, revision: (expected ?? 0) + 1 };
      return true;
    },
  } as unknown as ReportingRepository;
  return { repository, writes: () => writes, stored: () => stored };
}

describe('projecting an order event', () => {
  it('reads again and retries when a concurrent event wrote the view first', async () => {
    const racing = racingRepository(2);

    await reportingUseCases({ repository: racing.repository }).project(placed);

    expect(racing.writes()).toBe(3);
    expect(racing.stored()?.view.status).toBe('PENDING');
  });

  it('fails after 5 lost races, so the queue retries the event later', async () => {
    const racing = racingRepository(Number.POSITIVE_INFINITY);

    await expect(reportingUseCases({ repository: racing.repository }).project(placed)).rejects.toThrow(
      'kept changing',
    );
    expect(racing.writes()).toBe(5);
  });
});
