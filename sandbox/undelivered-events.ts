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
    async handleApiRequest(request, response) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSQS.SendMessageBatch') {
        reply(400, {
          __type: 'UnsupportedOperation',
          message: `The sandbox serves SendMessageBatch only, not ${target}`,
        });
        return;
      }
      const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Entries?: { Id: string; MessageBody: string }[];
      };
      const successful = Entries.map(({ Id, MessageBody }) => {
        const messageId = randomUUID();
        parked.push({ messageId, entry: parseEntry(MessageBody) });
        // The SDK checks each message's MD5, as SQS computes it.
        return {
          Id,
          MessageId: messageId,
          MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex'),
        };
      });
      reply(200, { Successful: successful, Failed: [] });
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
