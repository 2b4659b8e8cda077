/**
 * Every key of the orders table is built here. Access patterns:
 * - order by id:                     GetItem  PK=T#<tenant>                   SK=ORDER#<orderId>  (its paymentToken while PENDING: shared/order-payment-token.ts)
 * - a tenant's orders, newest first: Query    PK=T#<tenant>                   SK begins_with ORDER#      (ScanIndexForward false: ids are ULIDs)
 * - a user's orders, newest first:   Query    GSI1PK=T#<tenant>#USER#<userId>  GSI1SK begins_with ORDER#  (GSI1, same order)
 * - either list by status:           the same Query with FilterExpression status = :status
 * - claim, confirm, cancel:          conditional UpdateItem / Put on the order item
 * - PENDING orders past a deadline:  Query    GSI2PK=PENDING#<shard>           GSI2SK <= <now>             (GSI2, sparse: only PENDING
 *                                    orders carry GSI2 keys, so settling an order takes it out; one Query per shard)
 * - idempotency key of a request:    Put/Get  PK=T#<tenant>                   SK=IDEMPOTENCY#<userId>#<key>  (same transaction as the order; TTL expiresAt)
 * - outbox events:                   Put      PK=T#<tenant>#OUTBOX#<eventId>  SK=EVENT         (see shared/outbox.ts)
 *
 * Status is a filter rather than a key for the lists: an order changes status once or twice in
 * its life. The lists read a bounded number of pages to fill a filtered page, so sparse statuses
 * cost a few reads, never a Scan. The sweeper's index (GSI2) holds PENDING orders only, across
 * tenants, spread over `pendingShards` partition keys so placements do not all write one key.
 *
 * User ids and idempotency keys come from outside (the token, a header), so they are
 * URI-encoded inside keys: a `#` in them can never make two different keys collide.
 */
import { orderItemKey, orderSortKeyPrefix } from '../../shared/order-payment-token.js';
import { tenantPartition } from '../../shared/tenant-keys.js';

export { tenantPartition };

export const orderEntityType = 'ORDER';
export const idempotencyEntityType = 'IDEMPOTENCY';

export const userOrdersIndex = 'GSI1';
/** What a member's order list shows: the order as the API returns it, and its owner. */
export const userOrdersIndexAttributes = [
  'entityType',
  'orderId',
  'userId',
  'status',
  'statusReason',
  'items',
  'totalCents',
  'currency',
  'invoiceId',
  'createdAt',
  'updatedAt',
] as const;

export const pendingOrdersIndex = 'GSI2';
/** What the sweeper needs to start a sweep. */
export const pendingOrdersIndexAttributes = ['tenantId', 'orderId', 'correlationId'] as const;
export const pendingShards = 4;
export { orderSortKeyPrefix };

export const userOrdersPartition = (tenantId: string, userId: string): string =>
  `${tenantPartition(tenantId)}#USER#${encodeURIComponent(userId)}`;

/** Shared with billing, which reads the pending order's payment token by it. */
export const orderKey = orderItemKey;

export const userOrdersIndexKey = (tenantId: string, userId: string, orderId: string) => ({
  GSI1PK: userOrdersPartition(tenantId, userId),
  GSI1SK: `${orderSortKeyPrefix}${orderId}`,
});

/** The sweeper's index keys of a PENDING order: a shard from its id, sorted by its deadline. */
export const pendingOrdersIndexKey = (orderId: string, settleBy: string) => ({
  GSI2PK: pendingOrdersPartition(shardOf(orderId)),
  GSI2SK: settleBy,
});

export const pendingOrdersPartition = (shard: number): string => `PENDING#${shard}`;

function shardOf(orderId: string): number {
  let sum = 0;
  for (const character of orderId) sum += character.charCodeAt(0);
  return sum % pendingShards;
}

export const idempotencyKey = (tenantId: string, userId: string, key: string) => ({
  PK: tenantPartition(tenantId),
  SK: `IDEMPOTENCY#${encodeURIComponent(userId)}#${encodeURIComponent(key)}`,
});

/** The key attributes a page of each list query ends on, and so the only ones its cursor may carry. */
export const tableKeyAttributes = ['PK', 'SK'] as const;
export const userOrdersKeyAttributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;
