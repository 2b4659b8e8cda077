import * as z from 'zod/mini';
import type { HttpResponse } from '../../shared/http-handler.js';
import { pageFields, withPageDefaults } from '../../shared/pagination.js';
import { text } from '../../shared/text.js';
import { type Order, orderStatuses } from '../domain/order.js';

export const orderPath = z.strictObject({ id: text({ min: 1, max: 64 }) });

/** The shared `?limit=&cursor=` rules plus `status`, still rejecting unknown parameters. */
export const listOrdersQuery = z.pipe(
  z.extend(pageFields, { status: z.optional(z.enum(orderStatuses)) }),
  z.transform(({ status, ...page }) => ({
    ...withPageDefaults(page),
    ...(status === undefined ? {} : { status }),
  })),
);

export const orderLocation = (orderId: string): string => `/orders/${orderId}`;

/** The contract's order: field by field, leaving out the owner and the saga's claim. */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    status: order.status,
    ...(order.statusReason === undefined ? {} : { statusReason: order.statusReason }),
    items: order.items.map(({ productId, quantity, unitPriceCents }) => ({
      productId,
      quantity,
      ...(unitPriceCents === undefined ? {} : { unitPriceCents }),
    })),
    ...(order.totalCents === undefined ? {} : { totalCents: order.totalCents }),
    ...(order.currency === undefined ? {} : { currency: order.currency }),
    ...(order.invoiceId === undefined ? {} : { invoiceId: order.invoiceId }),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export type OrderView = ReturnType<typeof orderView>;

export function orderResponse(
  statusCode: number,
  order: Order,
  headers: Record<string, string> = {},
): HttpResponse {
  return { statusCode, body: orderView(order), headers };
}
