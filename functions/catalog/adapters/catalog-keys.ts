/**
 * Every key of the catalog table is built here. Access patterns:
 * - product by id:             GetItem  PK=T#<tenant>          SK=PRODUCT#<productId>
 * - products of a tenant:      Query    PK=T#<tenant>          SK begins_with PRODUCT#   (creation order: ids are ULIDs)
 * - sku uniqueness guard:      Put      PK=T#<tenant>          SK=SKU#<sku>               (attribute_not_exists, same transaction)
 * - stock reservation:         Get/Put  PK=T#<tenant>          SK=RESERVATION#<orderId>   (one per order; the saga's ReserveStock/ReleaseStock)
 * - products of an order:      BatchGet PK=T#<tenant>          SK=PRODUCT#<productId>     (consistent reads)
 * - outbox events:             Put      PK=T#<tenant>#OUTBOX#<eventId> SK=EVENT        (see shared/outbox.ts)
 */
import { tenantPartition } from '../../shared/tenant-keys.js';

export { tenantPartition };

export const productEntityType = 'PRODUCT';
export const skuGuardEntityType = 'SKU';
export const reservationEntityType = 'RESERVATION';

export const productSortKeyPrefix = 'PRODUCT#';

export const productKey = (tenantId: string, productId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `${productSortKeyPrefix}${productId}`,
});

export const skuGuardKey = (tenantId: string, sku: string) => ({
  PK: tenantPartition(tenantId),
  SK: `SKU#${sku}`,
});

export const reservationKey = (tenantId: string, orderId: string) => ({
  PK: tenantPartition(tenantId),
  SK: `RESERVATION#${orderId}`,
});
