/**
 * The sandbox's undelivered-events queue, driven by the real SQS client as the outbox publisher
 * drives it: parked entries come back whole, the SDK's MD5 check passes, and a redrive keeps
 * exactly the entries the bus refused.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { serializeEntry } from '../../../functions/platform/outbox/undelivered-events.js';
import { createUndeliveredEvents, type UndeliveredEvents } from '../../../sandbox/undelivered-events.js';
import { localServer } from '../../support/local-server.js';

const entry = (eventId: string): PutEventsRequestEntry => ({
  EventBusName: 'bus',
  Source: 'saas.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ metadata: { eventId } }),
  Time: new Date('2026-11-29T10:00:00.000Z'),
});

let queue: UndeliveredEvents;
let server: Awaited<ReturnType<typeof localServer>>;
let sqs: SQSClient;
const queueUrl = 'http://127.0.0.1/000000000000/sandbox-undelivered-events';

beforeEach(async () => {
  queue = createUndeliveredEvents();
  server = await localServer((request, response) => void queue.handleApiRequest(request, response));
  sqs = new SQSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
});

afterEach(async () => {
  sqs.destroy();
  await server.close();
});

const park = (...eventIds: string[]) =>
  sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: eventIds.map((eventId, index) => ({
        Id: String(index),
        MessageBody: serializeEntry(entry(eventId)),
      })),
    }),
  );

describe('sandbox undelivered events', () => {
  it('parks what the publisher sends, whole, and answers as SQS does', async () => {
    const { Successful = [], Failed = [] } = await park('e1', 'e2');

    expect(Successful.map((message) => message.Id)).toEqual(['0', '1']);
    expect(Failed).toEqual([]);
    expect(queue.parked.map((parked) => parked.entry)).toEqual([entry('e1'), entry('e2')]);
  });

  it('redrives the parked events and keeps those the bus refuses for the next redrive', async () => {
    await park('e1', 'e2', 'e3');

    const result = await queue.redrive(async (entries) =>
      entries.map((sent) =>
        sent.Detail?.includes('"e2"') ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
      ),
    );

    expect(result).toEqual({ redriven: 2, remaining: 1 });
    expect(queue.parked.map((parked) => parked.entry)).toEqual([entry('e2')]);
  });

  it('refuses the SQS operations it does not serve', async () => {
    await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
    expect(queue.parked).toEqual([]);
  });
});
