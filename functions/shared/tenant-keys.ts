/**
 * The partitions every service table shares the shape of: every key starts with the tenant, so no
 * query can cross tenants by accident. Services build their own keys on top of these.
 *
 * @example
 * const key = { PK: tenantPartition(tenantId), SK: `PRODUCT#${productId}` };
 */
export const tenantPartition = (tenantId: string): string => `T#${tenantId}`;

/** Where a tenant's outbox events wait for the stream publisher, in any service's table. */
export const outboxPartition = (tenantId: string): string => `${tenantPartition(tenantId)}#OUTBOX`;
