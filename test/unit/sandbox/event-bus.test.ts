import { type BusEvent, createEventBus, type DeadLetter } from '../../../sandbox/event-bus.js';

const entry = (detailType: string, detail: unknown = { data: 1 }) => ({
  EventBusName: 'bus',
  Source: 'saas.orders',
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

describe('sandbox event bus', () => {
  it('delivers an accepted event to every rule whose pattern matches, and only those', async () => {
    const delivered: string[] = [];
    const bus = createEventBus({
      busName: 'bus',
      rules: [
        {
          name: 'placed',
          eventPattern: { 'detail-type': ['OrderPlaced'] },
          deliver: async () => void delivered.push('placed'),
        },
        {
          name: 'orders',
          eventPattern: { source: ['saas.orders'] },
          deliver: async () => void delivered.push('orders'),
        },
        {
          name: 'billing',
          eventPattern: { source: ['saas.billing'] },
          deliver: async () => void delivered.push('billing'),
        },
      ],
    });

    const [result] = bus.putEvents([entry('OrderPlaced')]);
    await bus.idle();

    expect(result?.EventId).toEqual(expect.any(String));
    expect(delivered.sort()).toEqual(['orders', 'placed']);
    expect(bus.accepted).toBe(1);
  });

  it('answers per-entry error codes as PutEvents does and delivers nothing for them', async () => {
    const deliveries: BusEvent[] = [];
    const bus = createEventBus({
      busName: 'bus',
      rules: [
        {
          name: 'all',
          eventPattern: { source: ['saas.orders'] },
          deliver: async (event) => void deliveries.push(event),
        },
      ],
    });

    const results = bus.putEvents([
      { ...entry('A'), Detail: '{not json' },
      { ...entry('B'), EventBusName: 'other-bus' },
      { Source: 'saas.orders', DetailType: 'C' },
      entry('D'),
    ]);
    await bus.idle();

    expect(results.map((result) => result.ErrorCode)).toEqual([
      'MalformedDetail',
      'ResourceNotFoundException',
      'MalformedDetail',
      undefined,
    ]);
    expect(deliveries.map((event) => event['detail-type'])).toEqual(['D']);
  });

  it('retries a failing target and succeeds without a dead letter', async () => {
    let attempts = 0;
    const bus = createEventBus({
      busName: 'bus',
      retryDelayMs: 1,
      rules: [
        {
          name: 'flaky',
          eventPattern: { source: ['saas.orders'] },
          deliver: async () => {
            attempts += 1;
            if (attempts < 3) throw new Error('target busy');
          },
        },
      ],
    });

    bus.putEvents([entry('OrderPlaced')]);
    await bus.idle();

    expect(attempts).toBe(3);
    expect(bus.deadLetters).toEqual([]);
  });

  it('dead-letters an event once the retries are spent', async () => {
    const deadLetters: DeadLetter[] = [];
    const bus = createEventBus({
      busName: 'bus',
      maxRetries: 2,
      retryDelayMs: 1,
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
      rules: [
        {
          name: 'broken',
          eventPattern: { source: ['saas.orders'] },
          deliver: async () => {
            throw new Error('target down');
          },
        },
      ],
    });

    bus.putEvents([entry('OrderPlaced', { orderId: 'o1' })]);
    await bus.idle();

    expect(deadLetters).toEqual([
      expect.objectContaining({
        rule: 'broken',
        error: 'target down',
        event: expect.objectContaining({ detail: { orderId: 'o1' } }),
      }),
    ]);
    expect(bus.deadLetters).toHaveLength(1);
  });
});
