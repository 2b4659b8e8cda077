import { maxSweepsPerRun, orderUseCases } from '../../../functions/orders/domain/order-use-cases.js';
import type { DueOrder, SweepStarter } from '../../../functions/orders/domain/orders-port.js';
import {
  type InMemoryOrderRepository,
  inMemoryOrderRepository,
} from './support/in-memory-order-repository.js';

const buyer = { tenantId: 't1', userId: 'u1', roles: ['member' as const] };
const input = { items: [{ productId: 'p-1', quantity: 1 }], paymentToken: 'tok_ok' };

let repository: InMemoryOrderRepository;
let started: DueOrder[];
let clock: number;
let sequence: number;
const starter: SweepStarter = {
  async startSweep(order) {
    started.push(order);
  },
};

/** Orders due 60 s after they are placed; the clock moves only when a test moves it. */
const useCases = (sweepStarter?: SweepStarter) =>
  orderUseCases({
    repository,
    newId: () => {
      sequence += 1;
      return `order-${String(sequence).padStart(4, '0')}`;
    },
    now: () => new Date(clock),
    settlementDeadlineSeconds: 60,
    ...(sweepStarter ? { sweepStarter } : {}),
  });

beforeEach(() => {
  repository = inMemoryOrderRepository();
  started = [];
  clock = Date.parse('2026-11-29T10:00:00.000Z');
  sequence = 0;
});

describe('sweepDueOrders', () => {
  it('starts a sweep for each PENDING order past its deadline, and for no other', async () => {
    const orders = useCases(starter);
    const { order: due } = await orders.placeOrder({ caller: buyer, correlationId: 'c1', input });
    const { order: settled } = await orders.placeOrder({ caller: buyer, correlationId: 'c2', input });
    await orders.claimOrder({
      tenantId: 't1',
      orderId: settled.orderId,
      correlationId: 'c2',
      executionId: 'e1',
    });
    await orders.cancelOrder({
      tenantId: 't1',
      orderId: settled.orderId,
      correlationId: 'c2',
      executionId: 'e1',
      cancellation: { reason: 'OUT_OF_STOCK' },
    });
    clock += 59_000;
    const { order: notYetDue } = await orders.placeOrder({ caller: buyer, correlationId: 'c3', input });

    expect(await orders.sweepDueOrders()).toBe(0);
    clock += 1_000;
    expect(await orders.sweepDueOrders()).toBe(1);

    expect(started.map((order) => order.orderId)).toEqual([due.orderId]);
    expect(started.map((order) => order.orderId)).not.toContain(notYetDue.orderId);
  });

  it(`starts at most ${maxSweepsPerRun} sweeps a run and leaves the rest to the next`, async () => {
    const orders = useCases(starter);
    for (let index = 0; index < maxSweepsPerRun + 5; index += 1) {
      await orders.placeOrder({ caller: buyer, correlationId: `c${index}`, input });
    }
    clock += 60_000;

    expect(await orders.sweepDueOrders()).toBe(maxSweepsPerRun);
  });

  it('moves the deadline of an order it takes over, so the next run leaves it to the running sweep', async () => {
    const orders = useCases(starter);
    const { order } = await orders.placeOrder({ caller: buyer, correlationId: 'c1', input });
    clock += 60_000;
    await orders.sweepDueOrders();

    const step = { tenantId: 't1', orderId: order.orderId, correlationId: 'c1', executionId: 'sweep-1' };
    expect(await orders.takeOverOrder(step)).toBe('claimed');
    expect(await orders.sweepDueOrders()).toBe(0);
    expect(await orders.takeOverOrder({ ...step, executionId: 'sweep-2' })).toBe('taken');
  });

  it('refuses to sweep without a way to start the saga', async () => {
    await expect(useCases().sweepDueOrders()).rejects.toThrow('sweepStarter');
  });
});
