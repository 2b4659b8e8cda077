/**
 * The transactional outbox: an event is written as an item beside the state change, in the same
 * TransactWriteItems, and the stream publisher sends it to EventBridge. Every table uses this
 * item layout, so one publisher and one stream filter serve all services.
 *
 * @example
 * TransactItems: [{ Put: { TableName, Item: product } }, outboxPut(TableName, productCreated, { tenantId, correlationId }, product)]
 */
import { ulid } from 'ulid';
import { detailSchema, type EventContract, type EventDetail } from '../../events/envelope.js';
import { outboxPartition } from './tenant-keys.js';

export const outboxEntityType = 'OUTBOX';
/** Outbox items are published within seconds; the TTL only clears them out of the table. */
export const outboxRetentionSeconds = 24 * 60 * 60;

/**
 * The event source mapping filter (Lambda filter-criteria syntax) that passes only newly inserted
 * outbox items to the publisher; the sandbox's stream pollers apply the same pattern.
 */
export const outboxStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: [outboxEntityType] } } },
} as const;

/**
 * Times the stream's event source mapping retries a failing batch (bisecting it) before giving up;
 * the sandbox's stream pollers use the same number.
 */
export const outboxStreamRetryAttempts = 10;

export interface OutboxItem {
  PK: string;
  SK: string;
  entityType: typeof outboxEntityType;
  source: string;
  detailType: string;
  detail: EventDetail<unknown>;
  expiresAt: number;
}

/** The tenant and correlation id a write happens under; the events it writes carry both. */
export interface WriteContext {
  tenantId: string;
  correlationId: string;
}

export function outboxItem<Data>(
  contract: EventContract<Data>,
  origin: WriteContext,
  data: Data,
  now: Date = new Date(),
): OutboxItem {
  const eventId = ulid(now.getTime());
  const parsed = detailSchema(contract).safeParse({
    metadata: {
      eventId,
      eventVersion: contract.version,
      tenantId: origin.tenantId,
      correlationId: origin.correlationId,
      occurredAt: now.toISOString(),
    },
    data,
  });
  // A publisher writing an event that breaks its own contract is a bug, never the caller's fault.
  if (!parsed.success) throw new Error(`${contract.detailType} breaks its contract: ${parsed.error.message}`);
  return {
    PK: outboxPartition(origin.tenantId, eventId),
    SK: 'EVENT',
    entityType: outboxEntityType,
    source: contract.source,
    detailType: contract.detailType,
    detail: parsed.data,
    expiresAt: Math.floor(now.getTime() / 1000) + outboxRetentionSeconds,
  };
}

/** The `TransactWriteItems` entry that writes an event's outbox item beside the state change. */
export function outboxPut<Data>(
  tableName: string,
  contract: EventContract<Data>,
  origin: WriteContext,
  data: Data,
  now?: Date,
): { Put: { TableName: string; Item: OutboxItem } } {
  return { Put: { TableName: tableName, Item: outboxItem(contract, origin, data, now) } };
}
