import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { productCreated } from '../../../events/catalog/product-created.js';
import { publishOutboxRecords } from '../../../functions/platform/outbox/publish-outbox-records.js';
import { outboxItem } from '../../../functions/shared/outbox.js';

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

function streamRecord(sequence: number, item: object, eventName: DynamoDBRecord['eventName'] = 'INSERT') {
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(1000 + sequence),
      NewImage: marshall({ ...item }, { removeUndefinedValues: true }) as StreamImage,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } satisfies DynamoDBRecord;
}

function outboxRecords(count: number): DynamoDBRecord[] {
  return Array.from({ length: count }, (_, index) =>
    streamRecord(
      index,
      outboxItem(
        productCreated,
        { tenantId: 't1', correlationId: `c${index}` },
        { ...productCreated.sample, name: `p${index}` },
      ),
    ),
  );
}

const eventIdOfRecord = (record: DynamoDBRecord): string =>
  (
    unmarshall(record.dynamodb?.NewImage as Parameters<typeof unmarshall>[0]) as {
      detail: { metadata: { eventId: string } };
    }
  ).detail.metadata.eventId;

const eventIdOf = (entry: PutEventsRequestEntry): string =>
  (JSON.parse(entry.Detail ?? '{}') as { metadata: { eventId: string } }).metadata.eventId;

/** A fake PutEvents that records every call and fails the entries whose event id is in `failing`. */
function fakePutEvents(failing: Set<string> = new Set()) {
  const calls: PutEventsRequestEntry[][] = [];
  const putEvents = async (entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> => {
    calls.push(entries);
    return entries.map((entry) =>
      failing.has(eventIdOf(entry))
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
        : { EventId: `eb-${eventIdOf(entry)}` },
    );
  };
  return { calls, putEvents };
}

describe('publishOutboxRecords', () => {
  it('sends outbox records in stream order, ten per PutEvents', async () => {
    const records = outboxRecords(25);
    const bus = fakePutEvents();

    const result = await publishOutboxRecords(records, 'bus', bus.putEvents);

    expect(result).toEqual({ batchItemFailures: [], published: 25, parked: 0 });
    expect(bus.calls.map((call) => call.length)).toEqual([10, 10, 5]);
    expect(bus.calls.flat().map((entry) => JSON.parse(entry.Detail ?? '{}').data.name)).toEqual(
      Array.from({ length: 25 }, (_, index) => `p${index}`),
    );
    expect(bus.calls[0]?.[0]).toMatchObject({
      EventBusName: 'bus',
      Source: 'saas.catalog',
      DetailType: 'ProductCreated',
    });
  });

  it('ignores records that are not inserted outbox items', async () => {
    const [outbox] = outboxRecords(1);
    const product = streamRecord(7, { PK: 'T#t1', SK: 'PRODUCT#1', entityType: 'PRODUCT' });
    const modified = { ...(outbox as DynamoDBRecord), eventName: 'MODIFY' as const };
    const bus = fakePutEvents();

    const result = await publishOutboxRecords(
      [product, modified, outbox as DynamoDBRecord],
      'bus',
      bus.putEvents,
    );

    expect(result.published).toBe(1);
    expect(bus.calls.flat()).toHaveLength(1);
  });

  it('re-sends only the failed entries when PutEvents reports a partial failure', async () => {
    const records = outboxRecords(12);
    const failingOnce = new Set<string>();
    const calls: PutEventsRequestEntry[][] = [];
    let failed = false;
    const putEvents = async (entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> => {
      calls.push(entries);
      return entries.map((entry, index) => {
        if (!failed && index === 3) {
          failed = true;
          failingOnce.add(eventIdOf(entry));
          return { ErrorCode: 'ThrottlingException' };
        }
        return { EventId: 'ok' };
      });
    };

    const result = await publishOutboxRecords(records, 'bus', putEvents);

    expect(result.batchItemFailures).toEqual([]);
    expect(calls.map((call) => call.length)).toEqual([10, 1, 2]);
    expect(calls[1]?.map(eventIdOf)).toEqual([...failingOnce]);
  });

  it('reports the first record that keeps failing and sends nothing after it', async () => {
    const records = outboxRecords(25);
    const stuck = records[13] as DynamoDBRecord;
    const bus = fakePutEvents(new Set([eventIdOfRecord(stuck)]));

    const result = await publishOutboxRecords(records, 'bus', bus.putEvents);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: stuck.dynamodb?.SequenceNumber }]);
    expect(result.published).toBe(13);
    expect(bus.calls.map((call) => call.length)).toEqual([10, 10, 1, 1]);
    expect(bus.calls.flat().map(eventIdOf)).not.toContain(eventIdOfRecord(records[20] as DynamoDBRecord));
  });

  it('loses no event across a Lambda retry from the reported record', async () => {
    const records = outboxRecords(25);
    const allEventIds = records.map(eventIdOfRecord);
    const failing = new Set([allEventIds[13] as string]);
    const firstBus = fakePutEvents(failing);

    const first = await publishOutboxRecords(records, 'bus', firstBus.putEvents);
    const retryFrom = records.findIndex(
      (record) => record.dynamodb?.SequenceNumber === first.batchItemFailures[0]?.itemIdentifier,
    );
    const retryBus = fakePutEvents();
    const second = await publishOutboxRecords(records.slice(retryFrom), 'bus', retryBus.putEvents);

    const delivered = new Set([
      ...firstBus.calls
        .flat()
        .map(eventIdOf)
        .filter((id) => !failing.has(id)),
      ...retryBus.calls.flat().map(eventIdOf),
    ]);
    expect(second.batchItemFailures).toEqual([]);
    expect([...delivered].sort()).toEqual([...allEventIds].sort());
    expect(retryBus.calls.flat().map(eventIdOf)).not.toContain(allEventIds[12]);
  });

  it('reports the first record of a chunk whose PutEvents call keeps throwing', async () => {
    const records = outboxRecords(15);
    let calls = 0;
    const putEvents = async (entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> => {
      calls += 1;
      if (calls > 1) throw new Error('network down');
      return entries.map(() => ({ EventId: 'ok' }));
    };

    const result = await publishOutboxRecords(records, 'bus', putEvents);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[10]?.dynamodb?.SequenceNumber }]);
    expect(result.published).toBe(10);
  });

  it('parks the whole events that keep failing, and goes on with the rest', async () => {
    const records = outboxRecords(25);
    const stuck = [records[3], records[13]].map((record) => eventIdOfRecord(record as DynamoDBRecord));
    const bus = fakePutEvents(new Set(stuck));
    const parked: PutEventsRequestEntry[] = [];

    const result = await publishOutboxRecords(records, 'bus', bus.putEvents, async (entries) => {
      parked.push(...entries);
    });

    expect(result).toEqual({ batchItemFailures: [], published: 23, parked: 2 });
    expect(parked.map(eventIdOf)).toEqual(stuck);
    expect(parked[0]).toMatchObject({
      Source: 'saas.catalog',
      DetailType: 'ProductCreated',
      EventBusName: 'bus',
    });
  });

  it('falls back to the stream retry when parking fails too', async () => {
    const records = outboxRecords(12);
    const stuck = records[4] as DynamoDBRecord;
    const bus = fakePutEvents(new Set([eventIdOfRecord(stuck)]));

    const result = await publishOutboxRecords(records, 'bus', bus.putEvents, async () => {
      throw new Error('queue unavailable');
    });

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: stuck.dynamodb?.SequenceNumber }],
      published: 4,
      parked: 0,
    });
  });
});
