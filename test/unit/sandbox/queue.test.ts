import type { SQSEvent } from 'aws-lambda';
import { createQueue, type QueueDeadLetter } from '../../../sandbox/queue.js';

describe('sandbox queue', () => {
  it('delivers messages in batches as SQS events and forgets the consumed ones', async () => {
    const batches: string[][] = [];
    const queue = createQueue({
      name: 'q',
      batchSize: 2,
      consumer: async (event: SQSEvent) => {
        batches.push(event.Records.map((record) => record.body));
        return { batchItemFailures: [] };
      },
    });

    for (const body of ['a', 'b', 'c']) queue.send(body);
    await queue.idle();

    expect(batches.flat()).toEqual(['a', 'b', 'c']);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(2);
  });

  it('redelivers only the failed records, with a growing receive count, until they succeed', async () => {
    const receives: string[] = [];
    let failuresLeft = 2;
    const queue = createQueue({
      name: 'q',
      visibilityTimeoutMs: 10,
      consumer: async (event) => {
        receives.push(
          ...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`),
        );
        const failed = event.Records.filter((record) => record.body === 'flaky' && failuresLeft-- > 0);
        return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
      },
    });

    queue.send('steady');
    queue.send('flaky');
    await queue.idle();

    expect(receives).toEqual(['steady#1', 'flaky#1', 'flaky#2', 'flaky#3']);
    expect(queue.deadLetters).toEqual([]);
  });

  it('moves a message to the dead letters after maxReceiveCount receives, and a consumer that throws fails the whole batch', async () => {
    const deadLetters: QueueDeadLetter[] = [];
    const queue = createQueue({
      name: 'q',
      maxReceiveCount: 3,
      visibilityTimeoutMs: 5,
      consumer: async () => {
        throw new Error('down');
      },
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
    });

    queue.send('poison');
    await queue.idle();

    expect(deadLetters).toEqual([{ queue: 'q', body: 'poison', receiveCount: 3 }]);
    expect(queue.deadLetters).toEqual(deadLetters);
  });

  it('keeps messages while the consumer is down and delivers them all once it recovers', async () => {
    let up = false;
    const consumed: string[] = [];
    const queue = createQueue({
      name: 'q',
      maxReceiveCount: 100,
      visibilityTimeoutMs: 5,
      consumer: async (event) => {
        if (!up) throw new Error('down');
        consumed.push(...event.Records.map((record) => record.body));
        return { batchItemFailures: [] };
      },
    });

    for (const body of ['1', '2', '3']) queue.send(body);
    await new Promise((resolve) => setTimeout(resolve, 40));
    up = true;
    await queue.idle();

    expect(consumed.sort()).toEqual(['1', '2', '3']);
  });
});
