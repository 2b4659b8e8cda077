import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  parseEntry,
  redriveEntries,
  serializeEntry,
} from '../../../functions/platform/outbox/undelivered-events.js';

const entry = (index: number): PutEventsRequestEntry => ({
  EventBusName: 'bus',
  Source: 'saas.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ metadata: { eventId: `e${index}` } }),
  Time: new Date(Date.UTC(2026, 10, 29, 10, 0, index)),
});

describe('undelivered events', () => {
  it('keeps an entry whole through the queue, its time included', () => {
    expect(parseEntry(serializeEntry(entry(1)))).toEqual(entry(1));
  });

  it('redrives in PutEvents batches of ten and reports which entries the bus accepted', async () => {
    const calls: number[] = [];
    const accepted = await redriveEntries(
      Array.from({ length: 12 }, (_, index) => entry(index)),
      async (entries) => {
        calls.push(entries.length);
        return entries.map((sent) =>
          sent.Detail?.includes('"e5"') ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
        );
      },
    );

    expect(calls).toEqual([10, 2]);
    expect(accepted.map((ok, index) => (ok ? -1 : index)).filter((index) => index >= 0)).toEqual([5]);
  });
});
