/**
 * Runs the order saga the way the sandbox does (the real ASL under aws-local-stepfunctions, every
 * Task state mapped to its service's real handler) against DynamoDB Local, and reads back what the
 * services stored so tests can check outcomes and invariants. Handlers read their configuration at
 * import, so the environment is set first and modules are imported dynamically.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { services } from '../../../functions/services.js';
import { orderPaymentToken } from '../../../functions/shared/order-payment-token.js';
import { tableNameVariable } from '../../../functions/shared/service-definition.js';
import {
  createSagaRunner,
  declaredSagaTasks,
  type SagaRunner,
  type TaskHandler,
} from '../../../sandbox/saga-runner.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';

export const repositoryRoot = join(__dirname, '..', '..', '..');

export function configureEnvironment(): void {
  Object.assign(process.env, {
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    PAYMENT_GATEWAY: 'test',
    // Every order is due for the sweeper at once; only the tests that start a sweep use it.
    ORDER_SETTLEMENT_DEADLINE_SECONDS: '0',
  });
  for (const service of services) {
    if (service.table) process.env[tableNameVariable(service.name)] = sandboxTableName(service.name);
  }
  process.env[orderPaymentToken.tableVariable] = sandboxTableName(orderPaymentToken.ownerService);
}

export async function createTables(): Promise<void> {
  const client = new DynamoDBClient({});
  await createServiceTables(client, services);
  client.destroy();
}

export async function importTaskHandlers(): Promise<Record<string, TaskHandler>> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [state, task] of declaredSagaTasks(services)) {
    const module = (await import(join(repositoryRoot, task.handler))) as { handler: TaskHandler };
    handlers[state] = module.handler;
  }
  return handlers;
}

/** Retries wait 5 ms instead of the ASL's seconds: the backoff shape is the ASL's, only shorter. */
export async function sagaRunner(taskHandlers: Record<string, TaskHandler>): Promise<SagaRunner> {
  return createSagaRunner({
    repositoryRoot,
    taskHandlers,
    retryIntervalOverrides: Object.fromEntries(Object.keys(taskHandlers).map((state) => [state, 5])),
  });
}

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function queryPartition(
  service: string,
  partitionKey: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: sandboxTableName(service),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': partitionKey },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return items;
}

/** The outbox events a service wrote for a tenant, as the EventBridge rule would deliver them. */
export async function publishedEvents(
  service: string,
  tenantId: string,
): Promise<EventBridgeEvent<string, unknown>[]> {
  const items = await outboxEvents(sandboxTableName(service), tenantId);
  return items.map((item) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': String(item.detailType),
    source: String(item.source),
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: item.detail,
  }));
}
