/**
 * The partitions every service table shares the shape of: every key starts with the tenant, so no
 * query can cross tenants by accident. Services build their own keys on top of these.
 *
 * @example
 * const key = { PK: tenantPartition(tenantId), SK: `PRODUCT#${productId}` };
 */
export const tenantPartition = (tenantId: string): string => `T#${tenantId}`;

/** The tenant of a `tenantPartition` key, for items read across tenants (a sweep's index). */
export const tenantOfPartition = (partition: string): string => partition.slice('T#'.length);

/**
 * Where one outbox event waits for the stream publisher, in any service's table: a partition of
 * its own, because nothing queries the outbox (the stream reads it) and a shared one would put
 * every event of a tenant on one partition key, with its limit of 1,000 writes a second.
 */
export const outboxPartition = (tenantId: string, eventId: string): string =>
  `${outboxPartitionPrefix(tenantId)}${eventId}`;

/** What every outbox partition of a tenant starts with (tests and tools scan for it). */
export const outboxPartitionPrefix = (tenantId: string): string => `${tenantPartition(tenantId)}#OUTBOX#`;
