/**
 * Daily sales: confirmed orders per tenant, day (UTC, the day of confirmation) and currency. Pure.
 * Each order counts once, whatever happens to its events: its sale is added in the transaction
 * that first writes its view as confirmed, and the view's revision lets only one such write win.
 */
import * as z from 'zod/mini';

export interface ConfirmedSale {
  orderId: string;
  date: string;
  currency: string;
  revenueCents: number;
}

export interface SalesDay {
  date: string;
  currency: string;
  orders: number;
  revenueCents: number;
}

export const maxReportDays = 366;

export function confirmedSale(order: {
  orderId: string;
  totalCents: number;
  currency: string;
  confirmedAt: string;
}): ConfirmedSale {
  return {
    orderId: order.orderId,
    date: order.confirmedAt.slice(0, 10),
    currency: order.currency,
    revenueCents: order.totalCents,
  };
}

const dayMs = 24 * 60 * 60 * 1000;

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
  z.refine((value) => {
    const parsed = new Date(`${value}T00:00:00.000Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, 'must be a real calendar date'),
);

/** `?from=&to=`: both days included, `from` not after `to`, at most 366 days. */
export const salesReportQuery = z.strictObject({ from: isoDate, to: isoDate }).check(
  z.refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['to'] }),
  z.refine(
    ({ from, to }) => Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) < maxReportDays * dayMs,
    { message: `the range may span at most ${maxReportDays} days`, path: ['to'] },
  ),
);
