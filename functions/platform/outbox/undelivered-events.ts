/**
 * Events the outbox publisher could not put on the bus, kept whole in a queue (14 days) that
 * outlives the stream and the outbox items (24 hours), and sent again by `npm run redrive` (AWS)
 * or `POST /_dev/undelivered-events/redrive` (the sandbox).
 */
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

/** Where the publisher parks them: the queue's URL. */
export const undeliveredEventsQueueVariable = 'UNDELIVERED_EVENTS_QUEUE_URL';

/** The queue of one service's publisher, by a fixed name so the redrive command can find it. */
export const undeliveredEventsQueueName = (namePrefix: string, serviceName: string): string =>
  `${namePrefix}-${serviceName}-undelivered-events`;

export function serializeEntry(entry: PutEventsRequestEntry): string {
  return JSON.stringify({ ...entry, Time: entry.Time?.toISOString() });
}

export function parseEntry(body: string): PutEventsRequestEntry {
  const { Time, ...entry } = JSON.parse(body) as Omit<PutEventsRequestEntry, 'Time'> & { Time?: string };
  return { ...entry, ...(Time ? { Time: new Date(Time) } : {}) };
}

/**
 * Puts parked entries on the bus again and returns which were accepted (by position), so the
 * caller deletes exactly those; the rest stay parked for the next redrive.
 */
export async function redriveEntries(
  entries: readonly PutEventsRequestEntry[],
  putEvents: (entries: PutEventsRequestEntry[]) => Promise<PutEventsResultEntry[]>,
): Promise<boolean[]> {
  const accepted: boolean[] = [];
  for (let start = 0; start < entries.length; start += 10) {
    const results = await putEvents(entries.slice(start, start + 10));
    accepted.push(...entries.slice(start, start + 10).map((_, index) => Boolean(results[index]?.EventId)));
  }
  return accepted;
}
