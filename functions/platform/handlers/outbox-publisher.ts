import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requiredEnv } from '../../shared/env.js';
import { logger, metrics, tracer } from '../../shared/powertools.js';
import { publishOutboxRecords } from '../outbox/publish-outbox-records.js';

const eventBusName = requiredEnv('EVENT_BUS_NAME');
const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const result = await publishOutboxRecords(event.Records, eventBusName, async (entries) => {
    const response = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    return response.Entries ?? [];
  });
  metrics.addMetric('OutboxEventsPublished', 'Count', result.published);
  metrics.publishStoredMetrics();
  if (result.batchItemFailures.length > 0) {
    logger.warn('outbox batch partially published; retrying from the failed record', {
      published: result.published,
      failedSequenceNumber: result.batchItemFailures[0]?.itemIdentifier,
    });
  }
  return { batchItemFailures: result.batchItemFailures };
}
