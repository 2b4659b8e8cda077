/**
 * An SQS queue in-process, between a bus rule and its consumer, as deployed: messages are handed
 * to the consumer in batches as an SQS event, records the consumer reports as batch item failures
 * (or a whole batch whose invocation throws) become visible again after the visibility timeout,
 * and a message received `maxReceiveCount` times moves to the dead-letter list, as a redrive
 * policy does. A consumer that fails for a while therefore catches up when it recovers.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';

export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface QueueDeadLetter {
  queue: string;
  body: string;
  receiveCount: number;
}

export interface SandboxQueue {
  name: string;
  send(body: string): void;
  /** Messages sent since the queue was created. */
  readonly sent: number;
  /** Resolves once every message is consumed or dead-lettered. */
  idle(): Promise<void>;
  readonly deadLetters: readonly QueueDeadLetter[];
}

export interface QueueOptions {
  name: string;
  consumer: QueueConsumer;
  batchSize?: number;
  maxReceiveCount?: number;
  visibilityTimeoutMs?: number;
  onDeadLetter?: (deadLetter: QueueDeadLetter) => void;
}

interface Message {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

const region = 'us-east-1';
const account = '000000000000';

function sqsRecord(queueName: string, message: Message): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: String(message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:${account}:${queueName}`,
    awsRegion: region,
  };
}

export function createQueue(options: QueueOptions): SandboxQueue {
  const { name, consumer, batchSize = 10, maxReceiveCount = 5, visibilityTimeoutMs = 500 } = options;
  const waiting: Message[] = [];
  const deadLetters: QueueDeadLetter[] = [];
  let pumping = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;

  /** Pumps at `delayMs` from now, unless a pump is already due sooner. */
  function schedule(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (timer && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void pump();
    }, delayMs);
    timer.unref();
  }

  async function receive(batch: Message[]): Promise<Set<string>> {
    const event: SQSEvent = { Records: batch.map((message) => sqsRecord(name, message)) };
    try {
      const response = await consumer(event, lambdaContext(`${name}-consumer`, randomUUID()));
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch {
      return new Set(batch.map((message) => message.messageId));
    }
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const now = Date.now();
        const batch = waiting.filter((message) => message.visibleAt <= now).slice(0, batchSize);
        if (batch.length === 0) break;
        for (const message of batch) {
          message.receiveCount += 1;
          message.visibleAt = Number.POSITIVE_INFINITY;
        }
        const failed = await receive(batch);
        for (const message of batch) {
          if (failed.has(message.messageId) && message.receiveCount < maxReceiveCount) {
            message.visibleAt = Date.now() + visibilityTimeoutMs;
            continue;
          }
          waiting.splice(waiting.indexOf(message), 1);
          if (failed.has(message.messageId)) {
            const deadLetter = { queue: name, body: message.body, receiveCount: message.receiveCount };
            deadLetters.push(deadLetter);
            options.onDeadLetter?.(deadLetter);
          }
        }
      }
    } finally {
      pumping = false;
    }
    const next = Math.min(...waiting.map((message) => message.visibleAt));
    if (Number.isFinite(next)) schedule(Math.max(0, next - Date.now()));
  }

  let sent = 0;
  return {
    name,
    deadLetters,
    get sent() {
      return sent;
    },
    send(body) {
      sent += 1;
      const now = Date.now();
      waiting.push({ messageId: randomUUID(), body, sentAt: now, receiveCount: 0, visibleAt: now });
      schedule(0);
    },
    async idle() {
      while (waiting.length > 0 || pumping) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
