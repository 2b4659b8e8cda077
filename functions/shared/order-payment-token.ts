/**
 * Where a payment token waits for its charge: on its order's item in the orders table, an
 * attribute the orders service writes with the order and billing's payment task may read, alone
 * (GetItem of that attribute only: an IAM condition on `dynamodb:Attributes`). It never travels in
 * an event, a saga input, a log line or a trace, and it costs no write of its own. The Put that
 * settles the order replaces the item without it, so the table holds a token only while its order
 * is PENDING (the table's stream keeps the images of those writes for its 24-hour retention; only
 * the outbox publisher's mapping reads the stream, filtered to outbox items).
 */
import { tenantPartition } from './tenant-keys.js';

export const orderPaymentToken = {
  ownerService: 'orders',
  /** The attribute on the order item. */
  attribute: 'paymentToken',
  /** Names the orders table in the reading function (`uses: ['orderPaymentTokens']`). */
  tableVariable: 'ORDER_PAYMENT_TOKENS_TABLE_NAME',
} as const;

export const orderSortKeyPrefix = 'ORDER#';

/** The order item's key: the orders service builds its own with this (orders-keys.ts). */
export const orderItemKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderSortKeyPrefix}${orderId}`,
});
