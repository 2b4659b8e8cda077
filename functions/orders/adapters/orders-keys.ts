/**
 * Every key of the orders table is built here. Access patterns:
 * - order by id:                     GetItem  PK=T#<tenant>                   SK=ORDER#<orderId>
 * - a tenant's orders, newest first: Query    PK=T#<tenant>                   SK begins_with ORDER#      (ScanIndexForward false: ids are ULIDs)
 * - a user's orders, newest first:   Query    GSI1PK=T#<tenant>#USER#<userId>  GSI1SK begins_with ORDER#  (GSI1, same order)
 * - either list by status:           the same Query with FilterExpression status = :status
 * - claim, confirm, cancel:          conditional UpdateItem / Put on the order item
 * - idempotency key of a request:    Put/Get  PK=T#<tenant>                   SK=IDEMPOTENCY#<userId>#<key>  (same transaction as the order; TTL expiresAt)
 * - outbox events:                   Put      PK=T#<tenant>#OUTBOX            SK=EVENT#<eventId>          (see shared/outbox.ts)
 *
 * Status is a filter rather than a key: an order changes status once or twice in its life, and a
 * status-keyed index would need a second GSI (the standard table has one) or a second item per
 * order rewritten on every transition. The list reads a bounded number of pages to fill a
 * filtered page, so sparse statuses cost a few reads, never a Scan.
 *
 * User ids and idempotency keys come from outside (the token, a header), so they are
 * URI-encoded inside keys: a `#` in them can never make two different keys collide.
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export { tenantPartition };

export const orderEntityType = 'ORDER';
export const idempotencyEntityType = 'IDEMPOTENCY';

export const userOrdersIndex = 'GSI1';
export const orderSortKeyPrefix = 'ORDER#';

export const userOrdersPartition = (tenantId: string, userId: string): string =>
  `${tenantPartition(tenantId)}#USER#${encodeURIComponent(userId)}`;

export const orderKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${orderSortKeyPrefix}${orderId}`,
});

export const userOrdersIndexKey = (tenantId: string, userId: string, orderId: string) => ({
  GSI1PK: userOrdersPartition(tenantId, userId),
  GSI1SK: `${orderSortKeyPrefix}${orderId}`,
});

export const idempotencyKey = (tenantId: string, userId: string, key: string) => ({
  PK: tenantPartition(tenantId),
  SK: `IDEMPOTENCY#${encodeURIComponent(userId)}#${encodeURIComponent(key)}`,
});

/** The key attributes a page of each list query ends on, and so the only ones its cursor may carry. */
export const tableKeyAttributes = ['PK', 'SK'] as const;
export const userOrdersKeyAttributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;
