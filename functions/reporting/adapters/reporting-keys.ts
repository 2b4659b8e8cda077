/**
 * Every key of the reporting table is built here. Access patterns:
 * - order view by id:      Get/Put  PK=T#<tenant>  SK=ORDER#<orderId>                 (optimistic: revision)
 * - sales of a day:        Update   PK=T#<tenant>  SK=SALES#<YYYY-MM-DD>#<currency>   (ADD orders, revenueCents; in the transaction
 *                                    that first writes the order's view as confirmed, so each order counts once)
 * - sales of a date range: Query    PK=T#<tenant>  SK BETWEEN SALES#<from> AND SALES#<to>#~
 * - a tenant's order views: Query   PK=T#<tenant>  SK begins_with ORDER#               (newest first: ids are ULIDs)
 * - a user's order views:  Query    GSI1PK=T#<tenant>#USER#<userId>  GSI1SK begins_with ORDER#
 * - product names of lines: BatchGet PK=T#<tenant>  SK=PRODUCT#<productId>            (highest version kept)
 *
 * A day's sales item takes one write per confirmed order of that tenant, day and currency, so it
 * bounds them at DynamoDB's 1,000 writes a second per item: about 86 million orders a day.
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export const orderViewEntityType = 'ORDER_VIEW';
export const salesDayEntityType = 'SALES_DAY';

export const orderViewSortKeyPrefix = 'ORDER#';
export const productViewEntityType = 'PRODUCT_VIEW';

export const productViewKey = (tenantId: string, productId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `PRODUCT#${productId}`,
});

/** The index keys that list one user's order views. */
export const userOrderIndexKeys = (tenantId: string, userId: string, orderId: string) => ({
  GSI1PK: userOrdersPartition(tenantId, userId),
  GSI1SK: `${orderViewSortKeyPrefix}${orderId}`,
});

export const userOrdersPartition = (tenantId: string, userId: string) =>
  `${tenantPartition(tenantId)}#USER#${userId}`;

export const orderViewKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `ORDER#${orderId}`,
});

export const salesDayKey = (tenantId: string, date: string, currency: string) => ({
  PK: tenantPartition(tenantId),
  SK: `SALES#${date}#${currency}`,
});

/** Sort-key bounds of the days from `from` to `to`, both included ("~" sorts after any currency code). */
export const salesRange = (from: string, to: string) => ({ start: `SALES#${from}`, end: `SALES#${to}#~` });
