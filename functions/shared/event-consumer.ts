/**
 * The factory for event consumers: an EventBridge rule feeds an SQS queue, and this Lambda reads
 * it in batches. Each record is parsed as the EventBridge event the rule delivered, its detail is
 * validated against the event's contract, and only then handled; a record that fails (an invalid
 * event included, with its reason logged) is reported as a batch item failure, so SQS retries it
 * alone and moves it to the dead-letter queue after the queue's maxReceiveCount. Handlers must be
 * idempotent on `metadata.eventId`: delivery is at least once.
 *
 * @example
 * export const handler = eventConsumer({ contracts: [orderConfirmed], handle: async (event) => inbox.add(event) });
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { detailSchema, type EventContract, type EventDetail } from '../../events/envelope.js';
import { instrumented } from './instrumented.js';
import { logger, metrics } from './powertools.js';

/** An event as a consumer sees it: which contract it matched, and its validated detail. */
export interface ConsumedEvent<Data = unknown> extends EventDetail<Data> {
  detailType: string;
  source: string;
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

const eventBridgeEnvelope = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
});

/** Parses one queued EventBridge event against the contracts the consumer accepts. */
export function parseQueuedEvent(body: string, contracts: readonly EventContract<unknown>[]): ConsumedEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidEventError('The message body is not JSON');
  }
  const envelope = eventBridgeEnvelope.safeParse(json);
  if (!envelope.success) throw new InvalidEventError(`Not an EventBridge event: ${envelope.error.message}`);
  const { source, 'detail-type': detailType, detail } = envelope.data;
  const contract = contracts.find(
    (candidate) => candidate.source === source && candidate.detailType === detailType,
  );
  if (!contract) throw new InvalidEventError(`No contract for ${source} ${detailType} in this consumer`);
  const parsed = detailSchema(contract).safeParse(detail);
  if (!parsed.success)
    throw new InvalidEventError(`${detailType} breaks its contract: ${parsed.error.message}`);
  return { source, detailType, ...parsed.data };
}

export type QueueConsumerHandler = (
  event: SQSEvent,
  context: import('aws-lambda').Context,
) => Promise<SQSBatchResponse>;

export function eventConsumer(options: {
  /** The events this consumer accepts; its rule's pattern should match no others. */
  contracts: readonly EventContract<unknown>[];
  handle: (event: ConsumedEvent) => Promise<void>;
}): QueueConsumerHandler {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    let event: ConsumedEvent;
    try {
      event = parseQueuedEvent(record.body, options.contracts);
    } catch (error) {
      metrics.addMetric('InvalidEvents', MetricUnit.Count, 1);
      logger.error('invalid event: it will go to the dead-letter queue', {
        messageId: record.messageId,
        reason: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    logger.appendKeys({ tenantId: event.metadata.tenantId, eventId: event.metadata.eventId });
    logger.setCorrelationId(event.metadata.correlationId);
    await options.handle(event);
    logger.info('event consumed', { detailType: event.detailType });
  };
  // One processor per invocation: it holds the batch's state, which concurrent invocations in one
  // environment (Lambda Managed Instances, the sandbox) must not share.
  return instrumented<SQSEvent, SQSBatchResponse>().handler((event, context) =>
    processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    }),
  );
}
