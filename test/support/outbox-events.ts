import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { outboxPartitionPrefix } from '../../functions/shared/tenant-keys.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * The outbox items a tenant's writes left in a service table, oldest first, optionally of one
 * event type. Each event has a partition of its own, so this scans (test tables are small).
 */
export async function outboxEvents(
  tableName: string,
  tenantId: string,
  detailType?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateScan(
    { client: documentClient },
    {
      TableName: tableName,
      FilterExpression: 'begins_with(PK, :prefix)',
      ExpressionAttributeValues: { ':prefix': outboxPartitionPrefix(tenantId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  items.sort((left, right) => (String(left.PK) < String(right.PK) ? -1 : 1));
  return detailType === undefined ? items : items.filter((item) => item.detailType === detailType);
}
