import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import type { ConsumedEvent } from '../../../functions/shared/event-consumer.js';
import {
  lambdaContext,
  type QueueConsumer,
  queuedEvent,
  sqsRecord as record,
} from '../../fixtures/lambda-events.js';

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

let handled: ConsumedEvent[];
let failOn: string | undefined;
let handler: QueueConsumer;

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
