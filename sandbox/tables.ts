/**
 * Creates each service's table in DynamoDB Local from the same TableDefinition the CDK
 * ServiceTable uses, streams included (NEW_AND_OLD_IMAGES, as deployed).
 */
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { ServiceDefinition, TableDefinition } from '../functions/shared/service-definition.js';

export const sandboxTableName = (serviceName: string): string => `sandbox-${serviceName}`;

/** The rate-limit buckets' table offline (`<prefix>-rate-limits` deployed). */
export const sandboxRateLimitTableName = 'sandbox-rate-limits';

function createTableCommand(tableName: string, table: TableDefinition): CreateTableCommand {
  const keyAttributes = new Set([
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]);
  return new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      { AttributeName: table.sortKey, KeyType: 'RANGE' },
    ],
    // DynamoDB refuses an empty list: a table without indexes sends none.
    GlobalSecondaryIndexes:
      table.globalSecondaryIndexes.length === 0
        ? undefined
        : table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: index.include
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
              : { ProjectionType: 'ALL' },
          })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
}

/** Creates the table unless it exists (a persisted sandbox keeps its tables across runs). */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  table: TableDefinition,
): Promise<void> {
  try {
    await client.send(createTableCommand(tableName, table));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** Each service's table, by service name. */
export async function createServiceTables(
  client: DynamoDBClient,
  services: readonly ServiceDefinition[],
): Promise<Map<string, string>> {
  const tableNames = new Map<string, string>();
  for (const service of services) {
    if (!service.table) continue;
    const tableName = sandboxTableName(service.name);
    tableNames.set(service.name, tableName);
    await createTable(client, tableName, service.table);
  }
  return tableNames;
}
