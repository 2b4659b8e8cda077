import {
  type CancelledOrder,
  type ConfirmedOrder,
  canClaim,
  cancelOrder,
  canTakeOver,
  canView,
  confirmOrder,
  newOrder,
  type Order,
  OrderNotCancellableError,
  OrderNotConfirmableError,
  type PendingOrder,
  placeOrderSchema,
  priceLines,
} from '../../../functions/orders/domain/order.js';
import type { Caller } from '../../../functions/shared/auth/caller.js';
import { parseOrThrow } from '../../../functions/shared/validation.js';
import type { ReservationResult } from '../../../tasks/order-saga-tasks.js';

const placedAt = new Date('2026-11-24T10:00:00.000Z');
const settledAt = new Date('2026-11-24T10:00:05.000Z');

const pending = (overrides: Partial<PendingOrder> = {}): PendingOrder => ({
  ...newOrder(
    {
      items: [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ],
      paymentToken: 'tok_ok',
    },
    { orderId: 'o-1', userId: 'u-1' },
    placedAt,
    900,
  ),
  ...overrides,
});

const reservation: ReservationResult = {
  status: 'RESERVED',
  lines: [
    { productId: 'p-2', quantity: 1, unitPriceCents: 500 },
    { productId: 'p-1', quantity: 2, unitPriceCents: 1250 },
  ],
  totalCents: 3000,
  currency: 'EUR',
};

const confirmed = (): ConfirmedOrder =>
  confirmOrder(
    pending({ claimedBy: 'exec-1' }),
    { executionId: 'exec-1', reservation, invoiceId: 'inv-1' },
    settledAt,
  );

const caller = (userId: string, role: 'admin' | 'member'): Caller => ({
  tenantId: 't1',
  userId,
  roles: [role],
});

function validationErrors(body: unknown) {
  try {
    parseOrThrow(placeOrderSchema, body, 'body');
  } catch (error) {
    return (error as { errors?: unknown }).errors;
  }
  throw new Error('expected the body to be rejected');
}

describe('placeOrderSchema', () => {
  const line = (productId: string, quantity = 1) => ({ productId, quantity });

  it('accepts 1 to 50 distinct lines of 1 to 1000 each', () => {
    const body = {
      items: Array.from({ length: 50 }, (_, index) => line(`p-${index}`, index === 0 ? 1000 : 1)),
      paymentToken: 'x'.repeat(128),
    };

    expect(placeOrderSchema.safeParse(body)).toEqual({ success: true, data: body });
  });

  it('rejects a productId given twice and points at the repeat', () => {
    const errors = validationErrors({
      items: [line('p-1'), line('p-2'), line('p-1', 3)],
      paymentToken: 'tok_ok',
    });

    expect(errors).toEqual([
      {
        path: '/items/2/productId',
        message: 'Duplicate productId: give each product once, with its total quantity',
      },
    ]);
  });

  it.each([
    ['no items', { items: [], paymentToken: 'tok_ok' }, '/items'],
    [
      '51 items',
      { items: Array.from({ length: 51 }, (_, index) => line(`p-${index}`)), paymentToken: 't' },
      '/items',
    ],
    ['quantity 0', { items: [line('p', 0)], paymentToken: 'tok_ok' }, '/items/0/quantity'],
    ['quantity 1001', { items: [line('p', 1001)], paymentToken: 'tok_ok' }, '/items/0/quantity'],
    ['a fractional quantity', { items: [line('p', 1.5)], paymentToken: 'tok_ok' }, '/items/0/quantity'],
    ['an empty productId', { items: [line('')], paymentToken: 'tok_ok' }, '/items/0/productId'],
    ['an empty paymentToken', { items: [line('p')], paymentToken: '' }, '/paymentToken'],
    ['a 129-character paymentToken', { items: [line('p')], paymentToken: 'x'.repeat(129) }, '/paymentToken'],
    ['no paymentToken', { items: [line('p')] }, '/paymentToken'],
    ['an unknown field', { items: [line('p')], paymentToken: 'tok_ok', coupon: 'X' }, '/coupon'],
    [
      'an unknown line field',
      { items: [{ ...line('p'), note: 'x' }], paymentToken: 'tok_ok' },
      '/items/0/note',
    ],
  ])('rejects %s', (_, body, path) => {
    expect(validationErrors(body)).toEqual([expect.objectContaining({ path })]);
  });
});

describe('newOrder', () => {
  it('starts PENDING, unpriced and unclaimed, stamped with the placement time and due for settlement after the deadline', () => {
    const order = pending();

    expect(order).toEqual({
      orderId: 'o-1',
      userId: 'u-1',
      status: 'PENDING',
      items: [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 1 },
      ],
      createdAt: placedAt.toISOString(),
      updatedAt: placedAt.toISOString(),
      settleBy: '2026-11-24T10:15:00.000Z',
    });
  });
});

describe('canTakeOver', () => {
  const due = new Date('2026-11-24T10:15:00.000Z');
  const early = new Date('2026-11-24T10:14:59.999Z');

  it.each([
    ['an unclaimed order at its deadline', true, pending(), due],
    ["another execution's order at its deadline", true, pending({ claimedBy: 'exec-1' }), due],
    ['an order before its deadline', false, pending({ claimedBy: 'exec-1' }), early],
    [
      'an order it already took over, before the new deadline (a retried task)',
      true,
      pending({ claimedBy: 'sweep-1' }),
      early,
    ],
  ])('lets a sweep take over %s: %s', (_, expected, order, now) => {
    expect(canTakeOver(order, 'sweep-1', now)).toBe(expected);
  });

  it('never takes over a settled order', () => {
    expect(canTakeOver(confirmed(), 'sweep-1', new Date('2030-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('canView', () => {
  it.each([
    ['its owner', true, caller('u-1', 'member')],
    ['an admin', true, caller('someone', 'admin')],
    ['another member', false, caller('u-2', 'member')],
  ])('lets %s see an order: %s', (_, expected, viewer) => {
    expect(canView(pending(), viewer)).toBe(expected);
  });
});

describe('canClaim', () => {
  it.each([
    ['an unclaimed PENDING order', true, pending()],
    ['a PENDING order it already holds', true, pending({ claimedBy: 'exec-1' })],
    ['a PENDING order another execution holds', false, pending({ claimedBy: 'exec-2' })],
    ['a settled order', false, confirmed()],
  ])('lets execution exec-1 claim %s: %s', (_, expected, order) => {
    expect(canClaim(order, 'exec-1')).toBe(expected);
  });
});

describe('priceLines', () => {
  it('prices each line in order from the reservation', () => {
    expect(priceLines(pending().items, reservation)).toEqual([
      { productId: 'p-1', quantity: 2, unitPriceCents: 1250 },
      { productId: 'p-2', quantity: 1, unitPriceCents: 500 },
    ]);
  });

  it.each([
    ['a rejected reservation', { status: 'REJECTED', reason: 'OUT_OF_STOCK' } as const],
    ['a reservation missing a line', { ...reservation, lines: reservation.lines.slice(1) }],
    [
      'a reservation of another quantity',
      { ...reservation, lines: reservation.lines.map((line) => ({ ...line, quantity: line.quantity + 1 })) },
    ],
  ])('prices nothing from %s', (_, result) => {
    expect(priceLines(pending().items, result)).toBeUndefined();
  });
});

describe('confirmOrder', () => {
  it('confirms with the reservation prices and the invoice, keeping the claim and dropping the deadline', () => {
    const { settleBy: _settleBy, ...placed } = pending();

    expect(confirmed()).toEqual({
      ...placed,
      status: 'CONFIRMED',
      items: [
        { productId: 'p-1', quantity: 2, unitPriceCents: 1250 },
        { productId: 'p-2', quantity: 1, unitPriceCents: 500 },
      ],
      totalCents: 3000,
      currency: 'EUR',
      invoiceId: 'inv-1',
      claimedBy: 'exec-1',
      updatedAt: settledAt.toISOString(),
    });
  });

  it.each([
    ['an unclaimed order', pending(), reservation],
    ["another execution's order", pending({ claimedBy: 'exec-2' }), reservation],
    ['a settled order', confirmed(), reservation],
    [
      'a rejected reservation',
      pending({ claimedBy: 'exec-1' }),
      { status: 'REJECTED', reason: 'OUT_OF_STOCK' } as const,
    ],
  ])('refuses %s', (_, order, result) => {
    expect(() =>
      confirmOrder(order, { executionId: 'exec-1', reservation: result, invoiceId: 'inv-1' }, settledAt),
    ).toThrow(OrderNotConfirmableError);
  });

  it('names its error as the state machine matches it', () => {
    expect(new OrderNotConfirmableError('x').name).toBe('OrderNotConfirmableError');
  });
});

describe('cancelOrder', () => {
  const cancel = (
    order: Order = pending({ claimedBy: 'exec-1' }),
    result: ReservationResult = reservation,
  ): CancelledOrder =>
    cancelOrder(order, { executionId: 'exec-1', reason: 'PAYMENT_DECLINED', reservation: result }, settledAt);

  it('cancels with the reason and keeps the prices of a reservation', () => {
    expect(cancel()).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'PAYMENT_DECLINED',
      items: [
        { productId: 'p-1', quantity: 2, unitPriceCents: 1250 },
        { productId: 'p-2', quantity: 1, unitPriceCents: 500 },
      ],
      totalCents: 3000,
      currency: 'EUR',
      updatedAt: settledAt.toISOString(),
    });
  });

  it('cancels unpriced when the reservation was rejected', () => {
    const cancelled = cancel(undefined, { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND' });

    expect(cancelled.items).toEqual(pending().items);
    expect(cancelled.totalCents).toBeUndefined();
    expect(cancelled.currency).toBeUndefined();
  });

  it.each([
    ['an unclaimed order', pending()],
    ["another execution's order", pending({ claimedBy: 'exec-2' })],
    ['a confirmed order', confirmed()],
  ])('refuses %s', (_, order) => {
    expect(() => cancel(order)).toThrow(OrderNotCancellableError);
  });
});
