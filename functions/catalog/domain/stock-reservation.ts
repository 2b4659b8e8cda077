/**
 * Stock reservation rules for the order saga. Pure: the adapter supplies the products as read and
 * stores the decision. Prices are fixed here, from the catalog at reservation time.
 */
import type { ReservationResult } from '../../../tasks/order-saga-tasks.js';

export interface StockLine {
  productId: string;
  quantity: number;
}

export interface StockedProduct {
  productId: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export type ReservedResult = Extract<ReservationResult, { status: 'RESERVED' }>;
export type RejectedResult = Extract<ReservationResult, { status: 'REJECTED' }>;

/**
 * A reservation as stored: the decision and whether its stock went back. A release that finds no
 * decision stores a void (no result, released), so a reservation arriving after its own
 * compensation can never take stock again.
 */
export type StoredReservation =
  | { result: ReservationResult; released: boolean }
  | { result: undefined; released: true };

/**
 * The orders API rejects duplicate productIds, but a task must not trust its input's shape to
 * keep stock right: repeated lines are merged so each product is updated once per transaction.
 */
export function mergeLines(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of items)
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

export function decideReservation(
  lines: readonly StockLine[],
  products: ReadonlyMap<string, StockedProduct>,
): ReservationResult {
  const found = lines.map((line) => products.get(line.productId));
  if (found.some((product) => product === undefined))
    return { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND' };
  const stocked = found as StockedProduct[];
  const currencies = new Set(stocked.map((product) => product.currency));
  if (currencies.size > 1) return { status: 'REJECTED', reason: 'CURRENCY_MISMATCH' };
  if (lines.some((line, index) => (stocked[index] as StockedProduct).stock < line.quantity)) {
    return { status: 'REJECTED', reason: 'OUT_OF_STOCK' };
  }
  const priced = lines.map((line, index) => ({
    ...line,
    unitPriceCents: (stocked[index] as StockedProduct).priceCents,
  }));
  return {
    status: 'RESERVED',
    lines: priced,
    totalCents: priced.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0),
    currency: (stocked[0] as StockedProduct).currency,
  };
}
