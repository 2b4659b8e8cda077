/**
 * Turns DynamoDB stream records of outbox items into EventBridge events, in PutEvents batches of
 * up to 10, preserving stream order. Hand-written rather than Powertools batch: that processes one
 * record at a time, and one PutEvents per event would cost ten times the calls.
 *
 * `PutEvents` answers 200 even when entries fail, so each entry's ErrorCode is read and only the
 * failed entries are sent again, a few times. Entries that still fail are parked whole (source,
 * detail type, detail) in the undelivered-events queue, which keeps them for 14 days, long after
 * the stream and the outbox items have expired, until `npm run redrive` sends them again. Only if
 * parking fails too is the first failed record's sequence number reported as the batch item
 * failure, with nothing after it sent: Lambda retries from that record, so no event is lost and
 * nothing before it is sent twice. (Entries after it that did go out would be re-sent by that
 * retry; consumers deduplicate on metadata.eventId.)
 */
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type OutboxItem, outboxEntityType } from '../../shared/outbox.js';

export const maxEntriesPerPutEvents = 10;
const entryRetries = 2;
const entryRetryDelayMs = 100;

export type PutEvents = (entries: PutEventsRequestEntry[]) => Promise<PutEventsResultEntry[]>;
/** Keeps entries that could not be published; throws if it cannot. */
export type ParkEntries = (entries: PutEventsRequestEntry[]) => Promise<void>;

interface PendingEntry {
  sequenceNumber: string;
  entry: PutEventsRequestEntry;
}

function toEntry(record: DynamoDBRecord, eventBusName: string): PendingEntry | undefined {
  const image = record.dynamodb?.NewImage;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (record.eventName !== 'INSERT' || !image || !sequenceNumber) return undefined;
  // The stream image uses the Lambda event's AttributeValue type; the SDK's is structurally the same.
  const item = unmarshall(image as Parameters<typeof unmarshall>[0]) as Partial<OutboxItem>;
  if (item.entityType !== outboxEntityType || !item.detail || !item.source || !item.detailType)
    return undefined;
  return {
    sequenceNumber,
    entry: {
      EventBusName: eventBusName,
      Source: item.source,
      DetailType: item.detailType,
      Detail: JSON.stringify(item.detail),
      Time: new Date(item.detail.metadata.occurredAt),
    },
  };
}

/** Sends one chunk, re-sending only failed entries; returns the indexes of the entries still failing. */
async function sendChunk(chunk: readonly PendingEntry[], putEvents: PutEvents): Promise<number[]> {
  let unsent = chunk.map((_, index) => index);
  for (let attempt = 0; unsent.length > 0; attempt += 1) {
    if (attempt > 0) {
      if (attempt > entryRetries) return unsent;
      await new Promise((resolve) => setTimeout(resolve, entryRetryDelayMs * attempt));
    }
    let results: PutEventsResultEntry[];
    try {
      results = await putEvents(unsent.map((index) => (chunk[index] as PendingEntry).entry));
    } catch {
      continue;
    }
    unsent = unsent.filter((_, position) => results[position]?.ErrorCode || !results[position]?.EventId);
  }
  return [];
}

export async function publishOutboxRecords(
  records: readonly DynamoDBRecord[],
  eventBusName: string,
  putEvents: PutEvents,
  park?: ParkEntries,
): Promise<DynamoDBBatchResponse & { published: number; parked: number }> {
  const pending = records.flatMap((record) => toEntry(record, eventBusName) ?? []);
  let published = 0;
  let parked = 0;
  for (let start = 0; start < pending.length; start += maxEntriesPerPutEvents) {
    const chunk = pending.slice(start, start + maxEntriesPerPutEvents);
    const failed = await sendChunk(chunk, putEvents);
    if (failed.length > 0 && park) {
      try {
        await park(failed.map((index) => (chunk[index] as PendingEntry).entry));
        parked += failed.length;
        published += chunk.length - failed.length;
        continue;
      } catch {
        // Falls through: the stream retries from the first failed record instead.
      }
    }
    const [firstFailed] = failed;
    if (firstFailed !== undefined) {
      return {
        batchItemFailures: [{ itemIdentifier: (chunk[firstFailed] as PendingEntry).sequenceNumber }],
        published: published + firstFailed,
        parked,
      };
    }
    published += chunk.length;
  }
  return { batchItemFailures: [], published, parked };
}
