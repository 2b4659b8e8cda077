import {
  OrderNotCancellableError,
  OrderNotConfirmableError,
  type PlaceOrderInput,
} from '../../../functions/orders/domain/order.js';
import { orderUseCases } from '../../../functions/orders/domain/order-use-cases.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { BadRequestError, NotFoundError } from '../../../functions/shared/errors.js';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../../../functions/shared/idempotency.js';
import type { ReservationResult } from '../../../tasks/order-saga-tasks.js';
import {
  type InMemoryOrderRepository,
  inMemoryOrderRepository,
} from './support/in-memory-order-repository.js';

const tenantId = 't1';
const buyer: Caller = { tenantId, userId: 'u-1', roles: ['member'] };
const otherBuyer: Caller = { tenantId, userId: 'u-2', roles: ['member'] };
const admin: Caller = { tenantId, userId: 'admin-1', roles: ['admin'] };

const body: PlaceOrderInput = { items: [{ productId: 'p-1', quantity: 2 }], paymentToken: 'tok_ok' };
const reservation: ReservationResult = {
  status: 'RESERVED',
  lines: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'EUR',
};

let repository: InMemoryOrderRepository;
let orders: ReturnType<typeof orderUseCases>;

beforeEach(() => {
  repository = inMemoryOrderRepository();
  let sequence = 0;
  let clock = Date.parse('2026-11-24T10:00:00.000Z');
  orders = orderUseCases({
    repository,
    newId: () => {
      sequence += 1;
      return `order-${String(sequence).padStart(3, '0')}`;
    },
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
    settlementDeadlineSeconds: 900,
  });
});

const place = (caller = buyer, input = body, idempotencyKey?: string) =>
  orders.placeOrder({
    caller,
    correlationId: 'corr-1',
    input,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });

const step = (orderId: string, executionId = 'exec-1') => ({
  tenantId,
  orderId,
  correlationId: 'corr-2',
  executionId,
});
const confirmInput = (orderId: string, executionId = 'exec-1') => ({
  ...step(orderId, executionId),
  reservation,
  invoiceId: 'inv-1',
});
const cancelInput = (orderId: string, executionId = 'exec-1') => ({
  ...step(orderId, executionId),
  cancellation: { reason: 'PAYMENT_DECLINED' as const, reservation },
});
const eventTypes = () => repository.events.map((event) => event.detailType);

async function claimed(): Promise<string> {
  const { order } = await place();
  await orders.claimOrder(step(order.orderId));
  return order.orderId;
}

describe('placeOrder', () => {
  it('accepts a PENDING order for the caller, keeps its payment token with it and emits OrderPlaced', async () => {
    const result = await place();

    expect(result).toEqual({
      statusCode: 202,
      replayed: false,
      order: {
        orderId: 'order-001',
        userId: 'u-1',
        status: 'PENDING',
        items: [{ productId: 'p-1', quantity: 2 }],
        createdAt: '2026-11-24T10:00:01.000Z',
        updatedAt: '2026-11-24T10:00:01.000Z',
        settleBy: '2026-11-24T10:15:01.000Z',
      },
    });
    expect(repository.events).toEqual([
      {
        tenantId,
        correlationId: 'corr-1',
        detailType: 'OrderPlaced',
        order: result.order,
        paymentToken: 'tok_ok',
      },
    ]);
  });

  it('answers a repeated Idempotency-Key and body with the first order, placing nothing new', async () => {
    const first = await place(buyer, body, 'key-1');

    const again = await place(buyer, body, 'key-1');

    expect(again).toEqual({ order: first.order, statusCode: 202, replayed: true });
    expect(eventTypes()).toEqual(['OrderPlaced']);
  });

  it('refuses a repeated Idempotency-Key with another body (422)', async () => {
    await place(buyer, body, 'key-1');

    const reused = place(buyer, { ...body, paymentToken: 'tok_declined' }, 'key-1');

    await expect(reused).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(reused).rejects.toMatchObject({ status: 422 });
    expect(eventTypes()).toEqual(['OrderPlaced']);
  });

  it('reports a key a concurrent request is still writing as in progress (409)', async () => {
    repository.keysInFlight.add(`${tenantId}/u-1/key-1`);

    const racing = place(buyer, body, 'key-1');

    await expect(racing).rejects.toBeInstanceOf(RequestInProgressError);
    await expect(racing).rejects.toMatchObject({ status: 409 });
    expect(repository.events).toEqual([]);
  });

  it("treats another user's identical key as a new request", async () => {
    const first = await place(buyer, body, 'key-1');

    const other = await place(otherBuyer, body, 'key-1');

    expect(other.replayed).toBe(false);
    expect(other.order.orderId).not.toBe(first.order.orderId);
  });
});

describe('getOrder', () => {
  it('shows the owner their order', async () => {
    const { order } = await place();

    expect(await orders.getOrder(buyer, order.orderId)).toEqual(order);
  });

  it('shows an admin any order of the tenant', async () => {
    const { order } = await place();

    expect(await orders.getOrder(admin, order.orderId)).toEqual(order);
  });

  it("answers another member's order as not found", async () => {
    const { order } = await place();

    await expect(orders.getOrder(otherBuyer, order.orderId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers another tenant's order as not found", async () => {
    const { order } = await place();

    await expect(orders.getOrder({ ...admin, tenantId: 't2' }, order.orderId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('answers a missing order as not found', async () => {
    await expect(orders.getOrder(buyer, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('listOrders', () => {
  it('lists a member only their own orders, newest first', async () => {
    const first = await place(buyer);
    await place(otherBuyer);
    const third = await place(buyer);

    const page = await orders.listOrders(buyer, { limit: 10 });

    expect(page.items.map((order) => order.orderId)).toEqual([third.order.orderId, first.order.orderId]);
  });

  it('lists an admin every order of the tenant', async () => {
    await place(buyer);
    await place(otherBuyer);

    expect((await orders.listOrders(admin, { limit: 10 })).items).toHaveLength(2);
  });

  it("refuses to page a member's list with an admin's cursor", async () => {
    await place(buyer);
    await place(buyer);
    const { nextCursor } = await orders.listOrders(admin, { limit: 1 });

    await expect(orders.listOrders(buyer, { limit: 1, cursor: nextCursor ?? '' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });
});

describe('claimOrder', () => {
  it('claims an unclaimed PENDING order', async () => {
    const { order } = await place();

    expect(await orders.claimOrder(step(order.orderId))).toBe('claimed');
    expect(repository.stored(tenantId, order.orderId)?.claimedBy).toBe('exec-1');
  });

  it('leaves the claim with the first execution', async () => {
    const orderId = await claimed();

    expect(await orders.claimOrder(step(orderId, 'exec-2'))).toBe('taken');
    expect(repository.stored(tenantId, orderId)?.claimedBy).toBe('exec-1');
  });

  it('reports a missing order', async () => {
    expect(await orders.claimOrder(step('nope'))).toBe('not-found');
  });
});

describe('confirmOrder', () => {
  it('confirms the claimed order with prices and invoice and emits OrderConfirmed', async () => {
    const orderId = await claimed();

    const confirmed = await orders.confirmOrder(confirmInput(orderId));

    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 2500,
      currency: 'EUR',
      invoiceId: 'inv-1',
    });
    expect(repository.stored(tenantId, orderId)).toEqual(confirmed);
    expect(repository.events.at(-1)).toMatchObject({ detailType: 'OrderConfirmed', correlationId: 'corr-2' });
  });

  it('succeeds without writing again when its execution already confirmed the order', async () => {
    const orderId = await claimed();
    const first = await orders.confirmOrder(confirmInput(orderId));

    const retried = await orders.confirmOrder(confirmInput(orderId));

    expect(retried).toEqual(first);
    expect(eventTypes()).toEqual(['OrderPlaced', 'OrderConfirmed']);
  });

  it('succeeds when its own retry confirmed the order between the read and the write', async () => {
    const orderId = await claimed();
    repository.beforeSettle = async () => {
      repository.beforeSettle = undefined;
      await orders.confirmOrder(confirmInput(orderId));
    };

    const result = await orders.confirmOrder(confirmInput(orderId));

    expect(result.status).toBe('CONFIRMED');
    expect(eventTypes()).toEqual(['OrderPlaced', 'OrderConfirmed']);
  });

  it('gives up with OrderNotConfirmableError when the conditional write keeps failing', async () => {
    const orderId = await claimed();
    repository.settle = async () => false;

    await expect(orders.confirmOrder(confirmInput(orderId))).rejects.toThrow(
      new OrderNotConfirmableError(`Order ${orderId} kept changing while it was being settled.`),
    );
  });

  it('refuses an execution that does not hold the claim', async () => {
    const orderId = await claimed();

    await expect(orders.confirmOrder(confirmInput(orderId, 'exec-2'))).rejects.toBeInstanceOf(
      OrderNotConfirmableError,
    );
    expect(repository.stored(tenantId, orderId)?.status).toBe('PENDING');
  });

  it('refuses an order the execution already cancelled', async () => {
    const orderId = await claimed();
    await orders.cancelOrder(cancelInput(orderId));

    await expect(orders.confirmOrder(confirmInput(orderId))).rejects.toBeInstanceOf(OrderNotConfirmableError);
  });

  it('refuses a missing order', async () => {
    await expect(orders.confirmOrder(confirmInput('nope'))).rejects.toBeInstanceOf(OrderNotConfirmableError);
  });
});

describe('cancelOrder', () => {
  it('cancels the claimed order with its reason and emits OrderCancelled', async () => {
    const orderId = await claimed();

    const cancelled = await orders.cancelOrder(cancelInput(orderId));

    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'PAYMENT_DECLINED',
      totalCents: 2500,
    });
    expect(repository.stored(tenantId, orderId)).toEqual(cancelled);
    expect(eventTypes()).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('succeeds without writing again when its execution already cancelled the order', async () => {
    const orderId = await claimed();
    await orders.cancelOrder(cancelInput(orderId));

    await orders.cancelOrder(cancelInput(orderId));

    expect(eventTypes()).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('refuses an execution that does not hold the claim', async () => {
    const orderId = await claimed();

    await expect(orders.cancelOrder(cancelInput(orderId, 'exec-2'))).rejects.toBeInstanceOf(
      OrderNotCancellableError,
    );
    expect(repository.stored(tenantId, orderId)?.status).toBe('PENDING');
  });
});
