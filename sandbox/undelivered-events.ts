/**
 * The undelivered-events queue offline: the outbox publisher parks entries it could not publish
 * with SQS `SendMessageBatch` (its real SDK client is pointed here by AWS_ENDPOINT_URL_SQS), and
 * `POST /_dev/undelivered-events/redrive` puts them on the bus again, as `npm run redrive` does
 * with the deployed queues.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { parseEntry, redriveEntries } from '../functions/platform/outbox/undelivered-events.js';
import { serveAwsJsonOperation } from './aws-json-api.js';

export interface ParkedEvent {
  messageId: string;
  entry: PutEventsRequestEntry;
}

export interface UndeliveredEvents {
  readonly parked: readonly ParkedEvent[];
  /** Serves `AmazonSQS.SendMessageBatch` (AWS JSON 1.0), the one SQS API the publisher calls. */
  handleApiRequest(request: IncomingMessage, response: ServerResponse): Promise<void>;
  redrive(
    putEvents: (entries: PutEventsRequestEntry[]) => Promise<PutEventsResultEntry[]>,
  ): Promise<{ redriven: number; remaining: number }>;
}

export function createUndeliveredEvents(): UndeliveredEvents {
  let parked: ParkedEvent[] = [];
  return {
    get parked() {
      return parked;
    },
    handleApiRequest(request, response) {
      return serveAwsJsonOperation<{ Entries?: { Id: string; MessageBody: string }[] }>(request, response, {
        target: 'AmazonSQS.SendMessageBatch',
        version: '1.0',
        handle: ({ Entries = [] }) => {
          const successful = Entries.map(({ Id, MessageBody }) => {
            const messageId = randomUUID();
            parked.push({ messageId, entry: parseEntry(MessageBody) });
            // The SDK checks each message's MD5, as SQS computes it.
            const md5 = createHash('md5').update(MessageBody).digest('hex');
            return { Id, MessageId: messageId, MD5OfMessageBody: md5 };
          });
          return { status: 200, body: { Successful: successful, Failed: [] } };
        },
      });
    },
    async redrive(putEvents) {
      const batch = parked;
      const accepted = await redriveEntries(
        batch.map((event) => event.entry),
        putEvents,
      );
      parked = [...batch.filter((_, index) => !accepted[index]), ...parked.slice(batch.length)];
      return { redriven: accepted.filter(Boolean).length, remaining: parked.length };
    },
  };
}
