import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { outboxPartition } from '../../functions/shared/tenant-keys.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** The outbox items a tenant's writes left in a service table, optionally of one event type. */
export async function outboxEvents(
  tableName: string,
  tenantId: string,
  detailType?: string,
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': outboxPartition(tenantId) },
    }),
  );
  return detailType === undefined ? Items : Items.filter((item) => item.detailType === detailType);
}
