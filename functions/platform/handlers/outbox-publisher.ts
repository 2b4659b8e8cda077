import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requiredEnv } from '../../shared/env.js';
import { instrumented } from '../../shared/instrumented.js';
import { logger, metrics, traced } from '../../shared/powertools.js';
import { publishOutboxRecords } from '../outbox/publish-outbox-records.js';
import { serializeEntry, undeliveredEventsQueueVariable } from '../outbox/undelivered-events.js';

const eventBusName = requiredEnv('EVENT_BUS_NAME');
const undeliveredQueueUrl = requiredEnv(undeliveredEventsQueueVariable);
const eventBridge = traced(new EventBridgeClient({}));
const sqs = traced(new SQSClient({}));

/** The hop's entry in the trail of the request that caused the event: its correlation id, never its data. */
function publishedEntryKeys(entry: PutEventsRequestEntry): Record<string, unknown> {
  const { metadata } = JSON.parse(entry.Detail ?? '{}') as { metadata?: Record<string, unknown> };
  return {
    detailType: entry.DetailType,
    eventId: metadata?.eventId,
    tenantId: metadata?.tenantId,
    correlation_id: metadata?.correlationId,
  };
}

export const handler = instrumented<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  const result = await publishOutboxRecords(
    event.Records,
    eventBusName,
    async (entries) => {
      const response = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
      const results = response.Entries ?? [];
      entries.forEach((entry, index) => {
        if (results[index]?.EventId) logger.info('event published', publishedEntryKeys(entry));
      });
      return results;
    },
    async (entries) => {
      const { Failed = [] } = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: undeliveredQueueUrl,
          Entries: entries.map((entry, index) => ({ Id: String(index), MessageBody: serializeEntry(entry) })),
        }),
      );
      if (Failed.length > 0) throw new Error(`could not park ${Failed.length} undelivered event(s)`);
    },
  );
  if (result.parked > 0) {
    metrics.addMetric('OutboxEventsParked', 'Count', result.parked);
    logger.error('events kept failing to publish and were parked in the undelivered-events queue', {
      parked: result.parked,
    });
  }
  if (result.batchItemFailures.length > 0) {
    logger.warn('outbox batch partially published; retrying from the failed record', {
      published: result.published,
      failedSequenceNumber: result.batchItemFailures[0]?.itemIdentifier,
    });
  }
  return { batchItemFailures: result.batchItemFailures };
});
