/**
 * The order entity and its rules. Pure: no AWS imports; ids and time are passed in.
 *
 * An order is PENDING until the saga settles it as CONFIRMED or CANCELLED. The saga execution that
 * claims a PENDING order (`claimedBy`) is the only one allowed to settle it, so a duplicate start
 * of the saga can never confirm, cancel or price an order twice.
 */
import * as z from 'zod/mini';
import type { cancellationReasons } from '../../../events/orders/order-cancelled.js';
import { type ReservationResult, sagaErrors } from '../../../tasks/order-saga-tasks.js';
import type { Caller } from '../../shared/auth/caller.js';
import { text } from '../../shared/text.js';

export const orderLimits = {
  minItems: 1,
  maxItems: 50,
  maxQuantity: 1000,
  productIdMaxLength: 64,
  paymentTokenMaxLength: 128,
} as const;

export const orderStatuses = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
export type CancellationReason = (typeof cancellationReasons)[number];

const orderLineInput = z.strictObject({
  productId: text({ min: 1, max: orderLimits.productIdMaxLength }),
  quantity: z.int().check(z.gte(1), z.lte(orderLimits.maxQuantity)),
});

/**
 * One line per product: a repeated productId would make the reservation and the priced lines
 * ambiguous, so the client is told to merge the quantities instead of us guessing.
 */
const distinctProducts = z.superRefine<z.infer<typeof orderLineInput>[]>((lines, context) => {
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (seen.has(line.productId)) {
      context.addIssue({
        code: 'custom',
        message: 'Duplicate productId: give each product once, with its total quantity',
        path: [index, 'productId'],
        input: line.productId,
      });
    }
    seen.add(line.productId);
  });
});

export const placeOrderSchema = z.strictObject({
  items: z
    .array(orderLineInput)
    .check(z.minLength(orderLimits.minItems), z.maxLength(orderLimits.maxItems), distinctProducts),
  paymentToken: text({ min: 1, max: orderLimits.paymentTokenMaxLength }),
});

export type PlaceOrderInput = z.infer<typeof placeOrderSchema>;

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents?: number;
}

export interface PricedLine extends OrderLine {
  unitPriceCents: number;
}

interface OrderFields {
  orderId: string;
  /** The owner; internal, never in a response. */
  userId: string;
  status: OrderStatus;
  statusReason?: CancellationReason;
  items: OrderLine[];
  totalCents?: number;
  currency?: string;
  invoiceId?: string;
  /** The saga execution that owns the order; internal, never in a response. */
  claimedBy?: string;
  createdAt: string;
  updatedAt: string;
}

export interface PendingOrder extends OrderFields {
  status: 'PENDING';
  /**
   * When the sweeper settles the order if the saga has not: internal, never in a response.
   * Later than any execution can run, so a sweep meets a dead execution, not a live one.
   */
  settleBy: string;
}

export interface ConfirmedOrder extends OrderFields {
  status: 'CONFIRMED';
  items: PricedLine[];
  totalCents: number;
  currency: string;
  invoiceId: string;
  claimedBy: string;
}

export interface CancelledOrder extends OrderFields {
  status: 'CANCELLED';
  statusReason: CancellationReason;
  claimedBy: string;
}

export type Order = PendingOrder | ConfirmedOrder | CancelledOrder;
export type SettledOrder = ConfirmedOrder | CancelledOrder;

/** Thrown to the saga (by name: the ASL matches it) when ConfirmOrder may not confirm the order. */
export class OrderNotConfirmableError extends Error {
  override readonly name = sagaErrors.orderNotConfirmable;
}

/** Thrown to the saga when CancelOrder may not cancel the order (it is not this execution's). */
export class OrderNotCancellableError extends Error {
  override readonly name = sagaErrors.orderNotCancellable;
}

export function newOrder(
  input: PlaceOrderInput,
  ids: { orderId: string; userId: string },
  now: Date,
  settlementDeadlineSeconds: number,
): PendingOrder {
  const timestamp = now.toISOString();
  return {
    orderId: ids.orderId,
    userId: ids.userId,
    status: 'PENDING',
    items: input.items.map(({ productId, quantity }) => ({ productId, quantity })),
    createdAt: timestamp,
    updatedAt: timestamp,
    settleBy: settlementDeadline(now, settlementDeadlineSeconds),
  };
}

export const settlementDeadline = (from: Date, seconds: number): string =>
  new Date(from.getTime() + seconds * 1000).toISOString();

export const isAdmin = (caller: Caller): boolean => caller.roles.includes('admin');

/** Admins see every order of their tenant; anyone else only their own. */
export function canView(order: Order, caller: Caller): boolean {
  return isAdmin(caller) || order.userId === caller.userId;
}

/** A PENDING order is claimable while unclaimed, and again by the execution that holds the claim (a retried task). */
export function canClaim(order: Order, executionId: string): boolean {
  return order.status === 'PENDING' && (order.claimedBy === undefined || order.claimedBy === executionId);
}

/**
 * The sweeper's execution may take over a PENDING order once its settlement deadline has passed,
 * whoever holds the claim (and again if it already holds it: a retried task).
 */
export function canTakeOver(order: Order, executionId: string, now: Date): boolean {
  return (
    order.status === 'PENDING' && (order.settleBy <= now.toISOString() || order.claimedBy === executionId)
  );
}

/** Only the execution holding the claim may settle the order, and only once. */
export function isSettleableBy(order: Order, executionId: string): order is PendingOrder {
  return order.status === 'PENDING' && order.claimedBy === executionId;
}

/** True when this execution has already settled the order in `status` (a retried task). */
export function isSettledBy(order: Order, status: SettledOrder['status'], executionId: string): boolean {
  return order.status === status && order.claimedBy === executionId;
}

/**
 * Prices each line from the catalog's reservation; undefined unless the reservation covers every
 * line with the ordered quantity (a reservation for some other order must never price this one).
 */
export function priceLines(
  items: readonly OrderLine[],
  reservation: ReservationResult,
): PricedLine[] | undefined {
  if (reservation.status !== 'RESERVED' || reservation.lines.length !== items.length) return undefined;
  const reserved = new Map(reservation.lines.map((line) => [line.productId, line]));
  const priced: PricedLine[] = [];
  for (const { productId, quantity } of items) {
    const line = reserved.get(productId);
    if (!line || line.quantity !== quantity) return undefined;
    priced.push({ productId, quantity, unitPriceCents: line.unitPriceCents });
  }
  return priced;
}

function describeState(order: Order, executionId: string): string {
  if (order.status !== 'PENDING') return `is already ${order.status}`;
  return order.claimedBy === undefined
    ? 'is not claimed'
    : `is claimed by another execution than ${executionId}`;
}

export function confirmOrder(
  order: Order,
  settlement: { executionId: string; reservation: ReservationResult; invoiceId: string },
  now: Date,
): ConfirmedOrder {
  const { executionId, reservation, invoiceId } = settlement;
  if (!isSettleableBy(order, executionId)) {
    throw new OrderNotConfirmableError(`Order ${order.orderId} ${describeState(order, executionId)}.`);
  }
  const items = priceLines(order.items, reservation);
  if (!items || reservation.status !== 'RESERVED') {
    throw new OrderNotConfirmableError(
      `The reservation does not price every line of order ${order.orderId}.`,
    );
  }
  const { settleBy: _settleBy, ...settledFields } = order;
  return {
    ...settledFields,
    status: 'CONFIRMED',
    items,
    totalCents: reservation.totalCents,
    currency: reservation.currency,
    invoiceId,
    claimedBy: executionId,
    updatedAt: now.toISOString(),
  };
}

/** A cancelled order keeps the catalog's prices when stock had been reserved, so the client sees what it would have paid. */
export function cancelOrder(
  order: Order,
  settlement: { executionId: string; reason: CancellationReason; reservation?: ReservationResult },
  now: Date,
): CancelledOrder {
  const { executionId, reason, reservation } = settlement;
  if (!isSettleableBy(order, executionId)) {
    throw new OrderNotCancellableError(`Order ${order.orderId} ${describeState(order, executionId)}.`);
  }
  const items = reservation && priceLines(order.items, reservation);
  const prices =
    items && reservation?.status === 'RESERVED'
      ? { items, totalCents: reservation.totalCents, currency: reservation.currency }
      : {};
  const { settleBy: _settleBy, ...settledFields } = order;
  return {
    ...settledFields,
    status: 'CANCELLED',
    statusReason: reason,
    ...prices,
    claimedBy: executionId,
    updatedAt: now.toISOString(),
  };
}
