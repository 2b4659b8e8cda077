import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import type { ConsumedEvent } from '../../../functions/shared/event-consumer.js';
import { lambdaContext } from '../../fixtures/lambda-events.js';

Object.assign(process.env, {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

const metadata = (eventId: string) => ({
  eventId,
  eventVersion: 1,
  tenantId: 't1',
  correlationId: 'corr-1',
  occurredAt: '2026-11-29T10:00:00.000Z',
});

/** The body EventBridge's SQS target writes: the whole event. */
const queuedEvent = (detailType: string, detail: unknown, source = 'saas.orders') =>
  JSON.stringify({
    version: '0',
    id: 'b1c2',
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2026-11-29T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  });

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'events',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:q',
  awsRegion: 'eu-west-1',
});

let handled: ConsumedEvent[];
let failOn: string | undefined;
let handler: (
  event: SQSEvent,
  context: unknown,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  const { eventConsumer } = await import('../../../functions/shared/event-consumer.js');
  handler = eventConsumer({
    contracts: [orderConfirmed, orderCancelled],
    handle: async (event) => {
      if (event.metadata.eventId === failOn) throw new Error('table unavailable');
      handled.push(event);
    },
  }) as unknown as typeof handler;
});

beforeEach(() => {
  handled = [];
  failOn = undefined;
});

describe('eventConsumer', () => {
  it('hands each valid event to the handler with its detail type and validated detail', async () => {
    const result = await handler(
      {
        Records: [
          record(
            'm1',
            queuedEvent('OrderConfirmed', { metadata: metadata('e1'), data: orderConfirmed.sample }),
          ),
          record(
            'm2',
            queuedEvent('OrderCancelled', { metadata: metadata('e2'), data: orderCancelled.sample }),
          ),
        ],
      },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(handled).toEqual([
      {
        source: 'saas.orders',
        detailType: 'OrderConfirmed',
        metadata: metadata('e1'),
        data: orderConfirmed.sample,
      },
      {
        source: 'saas.orders',
        detailType: 'OrderCancelled',
        metadata: metadata('e2'),
        data: orderCancelled.sample,
      },
    ]);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['a message that is not an EventBridge event', JSON.stringify({ hello: 'world' })],
    ['an event no contract of the consumer covers', queuedEvent('ProductCreated', {}, 'saas.catalog')],
    [
      'an event that breaks its contract',
      queuedEvent('OrderCancelled', {
        metadata: metadata('e3'),
        data: { ...orderCancelled.sample, reason: 'BORED' },
      }),
    ],
    ['an event without metadata', queuedEvent('OrderConfirmed', { data: orderConfirmed.sample })],
  ])('reports %s as a failed record and handles none of it', async (_, body) => {
    const result = await handler(
      {
        Records: [
          record('bad', body),
          record(
            'good',
            queuedEvent('OrderConfirmed', { metadata: metadata('e4'), data: orderConfirmed.sample }),
          ),
        ],
      },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(handled.map((event) => event.metadata.eventId)).toEqual(['e4']);
  });

  it('reports only the records whose handling failed, so SQS retries just those', async () => {
    failOn = 'e6';

    const result = await handler(
      {
        Records: ['e5', 'e6', 'e7'].map((eventId) =>
          record(
            `m-${eventId}`,
            queuedEvent('OrderConfirmed', { metadata: metadata(eventId), data: orderConfirmed.sample }),
          ),
        ),
      },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-e6' }]);
    expect(handled.map((event) => event.metadata.eventId)).toEqual(['e5', 'e7']);
  });
});
