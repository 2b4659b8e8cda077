/**
 * The bare GetItem handler doing the DynamoDB work the handler factory adds under rate limits: one
 * write to the user's bucket and one to the tenant's, beside the read. Against it, the factory's
 * warm ratio is its own overhead; against the plain baseline, it includes the limiter's writes.
 *
 * Each write has the limiter's shape (a conditional SET that returns the new value, and the stored
 * item when its condition fails), with a condition that always holds: DynamoDB Local answers such a
 * write more slowly than a plain ADD, and that difference is DynamoDB work, not handler overhead.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.CATALOG_TABLE_NAME;
const countsTableName = process.env.RATE_LIMIT_TABLE_NAME;

const count = (key: string) =>
  client.send(
    new UpdateCommand({
      TableName: countsTableName,
      Key: { PK: key, SK: 'BARE-COUNT' },
      UpdateExpression: 'SET tat = if_not_exists(tat, :zero) + :interval, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(tat) OR tat > :zero',
      ExpressionAttributeValues: {
        ':zero': 0,
        ':interval': 100,
        ':expiresAt': Math.floor(Date.now() / 1000) + 60,
      },
      ReturnValues: 'UPDATED_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const tenantId = String(event.requestContext.authorizer?.tenantId);
  const userId = String(event.requestContext.authorizer?.sub);
  const [{ Item }] = await Promise.all([
    client.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: `T#${tenantId}`, SK: `PRODUCT#${event.pathParameters?.id}` },
      }),
    ),
    count(`T#${tenantId}#BARE#USER#${userId}`),
    count(`T#${tenantId}#BARE#TENANT`),
  ]);
  return Item
    ? { statusCode: 200, body: JSON.stringify(Item) }
    : { statusCode: 404, body: JSON.stringify({ status: 404 }) };
}
