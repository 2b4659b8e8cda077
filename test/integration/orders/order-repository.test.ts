import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { monotonicFactory } from 'ulid';
import { dynamoDbOrderPaymentTokens } from '../../../functions/billing/adapters/order-payment-tokens.js';
import { dynamoDbOrderRepository } from '../../../functions/orders/adapters/order-repository.js';
import {
  OrderNotCancellableError,
  OrderNotConfirmableError,
  type PlaceOrderInput,
} from '../../../functions/orders/domain/order.js';
import { orderUseCases } from '../../../functions/orders/domain/order-use-cases.js';
import { ordersService } from '../../../functions/orders/service.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { BadRequestError } from '../../../functions/shared/errors.js';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../../../functions/shared/idempotency.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import type { ReservationResult } from '../../../tasks/order-saga-tasks.js';
import { outboxEvents } from '../../support/outbox-events.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(ordersService.name);
const repository = dynamoDbOrderRepository(tableName);
/** Billing's reader of the tokens, as ChargePayment uses it. */
const paymentTokens = dynamoDbOrderPaymentTokens(tableName);

/**
 * A clock that moves one second per reading, so timestamps and ids both follow placement order.
 * It starts at the real time: DynamoDB Local deletes items whose TTL has passed (idempotency
 * records expire a day after their order), so records dated in the past could vanish mid-test.
 */
function steppingClock(start = Math.floor(Date.now() / 1000) * 1000) {
  let time = start;
  return () => {
    time += 1000;
    return new Date(time);
  };
}

const useCases = (now = steppingClock()) =>
  orderUseCases({ repository, newId: monotonicFactory(), now, settlementDeadlineSeconds: 900 });

let tenantId: string;
let orders: ReturnType<typeof useCases>;
const member = (userId = `u-${randomUUID()}`): Caller => ({ tenantId, userId, roles: ['member'] });
const admin = (): Caller => ({ tenantId, userId: `admin-${randomUUID()}`, roles: ['admin'] });

const body = (quantity = 2, productId = 'p-1'): PlaceOrderInput => ({
  items: [{ productId, quantity }],
  paymentToken: 'tok_ok',
});

const reserved = (quantity = 2, productId = 'p-1'): ReservationResult => ({
  status: 'RESERVED',
  lines: [{ productId, quantity, unitPriceCents: 1250 }],
  totalCents: 1250 * quantity,
  currency: 'EUR',
});

const step = (orderId: string, executionId: string) => ({
  tenantId,
  orderId,
  correlationId: `corr-${randomUUID()}`,
  executionId,
});

async function place(caller: Caller, input = body(), idempotencyKey?: string) {
  return orders.placeOrder({
    caller,
    correlationId: `corr-${randomUUID()}`,
    input,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });
}

const detailTypes = async () =>
  (await outboxEvents(tableName, tenantId)).map((event) => event.detailType).sort();
const allOrders = async () => (await orders.listOrders(admin(), { limit: 100 })).items;

beforeAll(async () => {
  await createServiceTables(client, [ordersService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
  orders = useCases();
});

afterAll(() => client.destroy());

describe('placing an order', () => {
  it('writes the PENDING order and its OrderPlaced event in one transaction', async () => {
    const buyer = member();

    const { order, statusCode } = await place(buyer);

    expect(statusCode).toBe(202);
    expect(await repository.get(tenantId, order.orderId)).toEqual(order);
    expect(order).toMatchObject({
      status: 'PENDING',
      userId: buyer.userId,
      items: [{ productId: 'p-1', quantity: 2 }],
    });
    const events = await outboxEvents(tableName, tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'OUTBOX',
      source: 'saas.orders',
      detailType: 'OrderPlaced',
      detail: {
        metadata: { tenantId },
        data: {
          orderId: order.orderId,
          userId: buyer.userId,
          items: [{ productId: 'p-1', quantity: 2 }],
          createdAt: order.createdAt,
        },
      },
    });
    expect(JSON.stringify(events)).not.toContain('tok_ok');
  });

  it('keeps the payment token on the PENDING order for billing, never in its views, and drops it when the order settles', async () => {
    const { order } = await place(member());

    expect(await paymentTokens.find(tenantId, order.orderId)).toBe('tok_ok');
    expect(JSON.stringify(await repository.get(tenantId, order.orderId))).not.toContain('tok_ok');
    expect(JSON.stringify(await allOrders())).not.toContain('tok_ok');

    await orders.claimOrder(step(order.orderId, 'exec-1'));
    expect(await paymentTokens.find(tenantId, order.orderId)).toBe('tok_ok');
    await orders.confirmOrder({
      ...step(order.orderId, 'exec-1'),
      reservation: reserved(),
      invoiceId: 'inv-1',
    });

    expect(await paymentTokens.find(tenantId, order.orderId)).toBeUndefined();
  });

  it('drops the payment token when the order is cancelled', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    await orders.cancelOrder({
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'PAYMENT_DECLINED', reservation: reserved() },
    });

    expect(await paymentTokens.find(tenantId, order.orderId)).toBeUndefined();
  });

  it('replays a repeated Idempotency-Key with the same body and writes one order', async () => {
    const buyer = member();
    const key = randomUUID();
    const first = await place(buyer, body(), key);

    const second = await place(
      buyer,
      { paymentToken: 'tok_ok', items: [{ quantity: 2, productId: 'p-1' }] },
      key,
    );

    expect(second).toEqual({ order: first.order, statusCode: 202, replayed: true });
    expect(await allOrders()).toHaveLength(1);
    expect(await detailTypes()).toEqual(['OrderPlaced']);
  });

  it('replays the order as it is now, not as it was first answered', async () => {
    const buyer = member();
    const key = randomUUID();
    const { order } = await place(buyer, body(), key);
    await orders.claimOrder(step(order.orderId, 'exec-1'));
    await orders.confirmOrder({
      ...step(order.orderId, 'exec-1'),
      reservation: reserved(),
      invoiceId: 'inv-1',
    });

    const replay = await place(buyer, body(), key);

    expect(replay.order).toMatchObject({ orderId: order.orderId, status: 'CONFIRMED', invoiceId: 'inv-1' });
    expect(replay.statusCode).toBe(202);
  });

  it('refuses a reused Idempotency-Key with another body and writes nothing', async () => {
    const buyer = member();
    const key = randomUUID();
    await place(buyer, body(1), key);

    await expect(place(buyer, body(2), key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

    expect(await allOrders()).toHaveLength(1);
    expect(await detailTypes()).toEqual(['OrderPlaced']);
  });

  it('scopes an Idempotency-Key to the user who sent it', async () => {
    const key = randomUUID();
    const first = await place(member(), body(), key);

    const other = await place(member(), body(), key);

    expect(other.replayed).toBe(false);
    expect(other.order.orderId).not.toBe(first.order.orderId);
  });

  it('scopes an Idempotency-Key to the tenant', async () => {
    const key = randomUUID();
    const buyer = member('same-user');
    const first = await place(buyer, body(), key);
    tenantId = `t-${randomUUID()}`;

    const other = await place(member('same-user'), body(), key);

    expect(other.replayed).toBe(false);
    expect(other.order.orderId).not.toBe(first.order.orderId);
  });

  it('forgets an Idempotency-Key once its record has expired, even before TTL deletes it', async () => {
    const buyer = member();
    const key = randomUUID();
    const first = await place(buyer, body(1), key);
    // A day and an hour on: the record has expired, whether or not TTL has deleted it yet.
    orders = useCases(steppingClock(Date.now() + 25 * 3_600_000));

    const later = await place(buyer, body(2), key);

    expect(later.replayed).toBe(false);
    expect(later.order.orderId).not.toBe(first.order.orderId);
  });

  it('creates one order from concurrent requests with the same Idempotency-Key', async () => {
    const buyer = member();
    const key = randomUUID();

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => place(buyer, body(), key)));

    const placed = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(placed.filter((result) => !result.replayed)).toHaveLength(1);
    expect(new Set(placed.map((result) => result.order.orderId)).size).toBe(1);
    expect(refused.every((reason) => reason instanceof RequestInProgressError)).toBe(true);
    expect(await allOrders()).toHaveLength(1);
  });
});

describe('sweeping orders past their settlement deadline', () => {
  /** Orders placed with no grace at all: due the moment they are placed. */
  const dueAtOnce = () =>
    orderUseCases({
      repository,
      newId: monotonicFactory(),
      now: steppingClock(),
      settlementDeadlineSeconds: 0,
    });
  const dueOf = async (now: Date) =>
    (await repository.listDue(now, 100)).filter((order) => order.tenantId === tenantId);

  it('finds a PENDING order once its deadline has passed, with its tenant and correlation id', async () => {
    const { order } = await dueAtOnce().placeOrder({
      caller: member(),
      correlationId: 'corr-due',
      input: body(),
    });

    expect(await dueOf(new Date(Date.parse(order.createdAt) - 1))).toEqual([]);
    expect(await dueOf(new Date(order.createdAt))).toEqual([
      { tenantId, orderId: order.orderId, correlationId: 'corr-due' },
    ]);
  });

  it('takes over a due order from the execution that claimed it, and pushes its deadline', async () => {
    const sweeps = dueAtOnce();
    const { order } = await sweeps.placeOrder({ caller: member(), correlationId: 'c', input: body() });
    await sweeps.claimOrder(step(order.orderId, 'exec-1'));

    expect(await sweeps.takeOverOrder(step(order.orderId, 'sweep-1'))).toBe('claimed');
    expect(await sweeps.takeOverOrder(step(order.orderId, 'sweep-1'))).toBe('claimed');

    const stored = await repository.get(tenantId, order.orderId);
    expect(stored?.claimedBy).toBe('sweep-1');
    // The deadline moved by the (zero) grace to the takeover's time: no longer due before it.
    expect(await dueOf(new Date(order.createdAt))).toEqual([]);
  });

  it('leaves an order before its deadline to its execution', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    expect(await orders.takeOverOrder(step(order.orderId, 'sweep-1'))).toBe('taken');
    expect((await repository.get(tenantId, order.orderId))?.claimedBy).toBe('exec-1');
  });

  it('drops a settled order from the due list and never takes it over', async () => {
    const sweeps = dueAtOnce();
    const { order } = await sweeps.placeOrder({ caller: member(), correlationId: 'c', input: body() });
    await sweeps.claimOrder(step(order.orderId, 'exec-1'));
    await sweeps.cancelOrder({
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'OUT_OF_STOCK', reservation: reserved() },
    });

    expect(await dueOf(new Date('2100-01-01T00:00:00.000Z'))).toEqual([]);
    expect(await sweeps.takeOverOrder(step(order.orderId, 'sweep-1'))).toBe('taken');
    expect(await orders.takeOverOrder(step('01JNOSUCHORDER000000000000', 'sweep-1'))).toBe('not-found');
  });
});

describe('claiming an order', () => {
  it('claims a PENDING order for the first execution', async () => {
    const { order } = await place(member());

    const result = await orders.claimOrder(step(order.orderId, 'exec-1'));

    expect(result).toBe('claimed');
    expect((await repository.get(tenantId, order.orderId))?.claimedBy).toBe('exec-1');
  });

  it('refuses the claim to a second execution (a duplicate start)', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    const result = await orders.claimOrder(step(order.orderId, 'exec-2'));

    expect(result).toBe('taken');
    expect((await repository.get(tenantId, order.orderId))?.claimedBy).toBe('exec-1');
  });

  it('grants the claim again to the execution that holds it (a retried task)', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    expect(await orders.claimOrder(step(order.orderId, 'exec-1'))).toBe('claimed');
  });

  it('refuses the claim of an order that is no longer PENDING', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));
    await orders.cancelOrder({
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'OUT_OF_STOCK', reservation: reserved() },
    });

    expect(await orders.claimOrder(step(order.orderId, 'exec-1'))).toBe('taken');
  });

  it('reports an unknown order as not found and creates nothing', async () => {
    const result = await orders.claimOrder(step('01JNOSUCHORDER000000000000', 'exec-1'));

    expect(result).toBe('not-found');
    expect(await repository.get(tenantId, '01JNOSUCHORDER000000000000')).toBeUndefined();
  });
});

describe('confirming an order', () => {
  it('confirms, prices and invoices the order with its OrderConfirmed event', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    await orders.confirmOrder({
      ...step(order.orderId, 'exec-1'),
      reservation: reserved(),
      invoiceId: 'inv-1',
    });

    const confirmed = await repository.get(tenantId, order.orderId);
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
      invoiceId: 'inv-1',
    });
    const event = (await outboxEvents(tableName, tenantId)).find(
      (item) => item.detailType === 'OrderConfirmed',
    );
    expect(event).toMatchObject({
      detail: {
        data: {
          orderId: order.orderId,
          userId: order.userId,
          items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
          totalCents: 2500,
          currency: 'EUR',
          invoiceId: 'inv-1',
          confirmedAt: confirmed?.updatedAt,
        },
      },
    });
  });

  it('confirms once when the task is retried by the same execution', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));
    const input = { ...step(order.orderId, 'exec-1'), reservation: reserved(), invoiceId: 'inv-1' };
    const first = await orders.confirmOrder(input);

    const retried = await orders.confirmOrder(input);

    expect(retried).toEqual(first);
    expect(await detailTypes()).toEqual(['OrderConfirmed', 'OrderPlaced']);
  });

  it('refuses to confirm for an execution that does not hold the claim', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    await expect(
      orders.confirmOrder({ ...step(order.orderId, 'exec-2'), reservation: reserved(), invoiceId: 'inv-2' }),
    ).rejects.toBeInstanceOf(OrderNotConfirmableError);

    expect((await repository.get(tenantId, order.orderId))?.status).toBe('PENDING');
    expect(await detailTypes()).toEqual(['OrderPlaced']);
  });

  it('refuses to confirm an order that was never claimed', async () => {
    const { order } = await place(member());

    await expect(
      orders.confirmOrder({ ...step(order.orderId, 'exec-1'), reservation: reserved(), invoiceId: 'inv-1' }),
    ).rejects.toBeInstanceOf(OrderNotConfirmableError);
  });
});

describe('cancelling an order', () => {
  it('cancels with the reason and the reserved prices, with its OrderCancelled event', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    await orders.cancelOrder({
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'PAYMENT_DECLINED', reservation: reserved() },
    });

    const cancelled = await repository.get(tenantId, order.orderId);
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'PAYMENT_DECLINED',
      items: [{ productId: 'p-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    });
    const event = (await outboxEvents(tableName, tenantId)).find(
      (item) => item.detailType === 'OrderCancelled',
    );
    expect(event).toMatchObject({
      detail: {
        data: {
          orderId: order.orderId,
          userId: order.userId,
          reason: 'PAYMENT_DECLINED',
          cancelledAt: cancelled?.updatedAt,
        },
      },
    });
  });

  it('cancels without prices when the reservation was rejected', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));

    await orders.cancelOrder({
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'OUT_OF_STOCK', reservation: { status: 'REJECTED', reason: 'OUT_OF_STOCK' } },
    });

    const cancelled = await repository.get(tenantId, order.orderId);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', statusReason: 'OUT_OF_STOCK' });
    expect(cancelled?.totalCents).toBeUndefined();
  });

  it('cancels once when the task is retried by the same execution', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));
    const input = {
      ...step(order.orderId, 'exec-1'),
      cancellation: { reason: 'OUT_OF_STOCK' as const, reservation: reserved() },
    };
    await orders.cancelOrder(input);

    await orders.cancelOrder(input);

    expect(await detailTypes()).toEqual(['OrderCancelled', 'OrderPlaced']);
  });

  it('refuses to cancel an order this execution already confirmed', async () => {
    const { order } = await place(member());
    await orders.claimOrder(step(order.orderId, 'exec-1'));
    await orders.confirmOrder({
      ...step(order.orderId, 'exec-1'),
      reservation: reserved(),
      invoiceId: 'inv-1',
    });

    await expect(
      orders.cancelOrder({
        ...step(order.orderId, 'exec-1'),
        cancellation: { reason: 'CONFIRMATION_FAILED', reservation: reserved() },
      }),
    ).rejects.toBeInstanceOf(OrderNotCancellableError);

    expect((await repository.get(tenantId, order.orderId))?.status).toBe('CONFIRMED');
  });
});

describe('listing orders', () => {
  const ids = (page: { items: { orderId: string }[] }) => page.items.map((order) => order.orderId);

  async function settleAs(orderId: string, outcome: 'CONFIRMED' | 'CANCELLED'): Promise<void> {
    const execution = `exec-${orderId}`;
    await orders.claimOrder(step(orderId, execution));
    if (outcome === 'CONFIRMED') {
      await orders.confirmOrder({ ...step(orderId, execution), reservation: reserved(), invoiceId: 'inv' });
    } else {
      await orders.cancelOrder({
        ...step(orderId, execution),
        cancellation: { reason: 'OUT_OF_STOCK', reservation: reserved() },
      });
    }
  }

  it("lists the tenant's orders newest first for an admin", async () => {
    const first = await place(member());
    const second = await place(member());
    const third = await place(member());

    const page = await orders.listOrders(admin(), { limit: 10 });

    expect(ids(page)).toEqual([third.order.orderId, second.order.orderId, first.order.orderId]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('lists a member only their own orders, newest first', async () => {
    const buyer = member();
    const mine = [await place(buyer), await place(buyer)];
    await place(member());

    const page = await orders.listOrders(buyer, { limit: 10 });

    expect(ids(page)).toEqual([mine[1]?.order.orderId, mine[0]?.order.orderId]);
  });

  it('never lists another tenant’s orders', async () => {
    await place(member());
    tenantId = `t-${randomUUID()}`;

    expect((await orders.listOrders(admin(), { limit: 10 })).items).toEqual([]);
  });

  it('filters by status', async () => {
    const buyer = member();
    const confirmed = await place(buyer);
    const cancelled = await place(buyer);
    const pending = await place(buyer);
    await settleAs(confirmed.order.orderId, 'CONFIRMED');
    await settleAs(cancelled.order.orderId, 'CANCELLED');

    const page = await orders.listOrders(buyer, { limit: 10, status: 'CANCELLED' });
    const pendingPage = await orders.listOrders(admin(), { limit: 10, status: 'PENDING' });

    expect(ids(page)).toEqual([cancelled.order.orderId]);
    expect(ids(pendingPage)).toEqual([pending.order.orderId]);
  });

  it('pages through orders with a cursor, newest first, without repeats', async () => {
    const placed = [];
    for (let index = 0; index < 5; index += 1) placed.push((await place(member())).order.orderId);
    const caller = admin();

    const first = await orders.listOrders(caller, { limit: 2 });
    const second = await orders.listOrders(caller, { limit: 2, cursor: first.nextCursor ?? '' });
    const third = await orders.listOrders(caller, { limit: 2, cursor: second.nextCursor ?? '' });

    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual([...placed].reverse());
    expect(third.nextCursor).toBeUndefined();
  });

  it('fills a filtered page from several reads and resumes after its last order', async () => {
    const buyer = member();
    const cancelled: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const { order } = await place(buyer);
      if (index % 2 === 0) {
        await settleAs(order.orderId, 'CANCELLED');
        cancelled.push(order.orderId);
      }
    }

    const first = await orders.listOrders(buyer, { limit: 2, status: 'CANCELLED' });
    const second = await orders.listOrders(buyer, {
      limit: 2,
      status: 'CANCELLED',
      cursor: first.nextCursor ?? '',
    });

    expect(ids(first)).toEqual([cancelled[2], cancelled[1]]);
    expect(ids(second)).toEqual([cancelled[0]]);
  });

  it('resumes after the last order kept when one read finds more matches than the page holds', async () => {
    const buyer = member();
    const cancelled: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { order } = await place(buyer);
      await settleAs(order.orderId, 'CANCELLED');
      cancelled.push(order.orderId);
    }
    await place(buyer);

    const first = await orders.listOrders(buyer, { limit: 2, status: 'CANCELLED' });
    const second = await orders.listOrders(buyer, {
      limit: 2,
      status: 'CANCELLED',
      cursor: first.nextCursor ?? '',
    });

    expect(ids(first)).toEqual([cancelled[2], cancelled[1]]);
    expect(ids(second)).toEqual([cancelled[0]]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("rejects another tenant's cursor", async () => {
    await place(member());
    await place(member());
    const { nextCursor } = await orders.listOrders(admin(), { limit: 1 });
    tenantId = `t-${randomUUID()}`;

    await expect(orders.listOrders(admin(), { limit: 1, cursor: nextCursor ?? '' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it("rejects another member's cursor", async () => {
    const buyer = member();
    await place(buyer);
    await place(buyer);
    const { nextCursor } = await orders.listOrders(buyer, { limit: 1 });

    await expect(orders.listOrders(member(), { limit: 1, cursor: nextCursor ?? '' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it("rejects a member's cursor in the admin's list", async () => {
    const buyer = member();
    await place(buyer);
    await place(buyer);
    const { nextCursor } = await orders.listOrders(buyer, { limit: 1 });

    await expect(orders.listOrders(admin(), { limit: 1, cursor: nextCursor ?? '' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });
});
