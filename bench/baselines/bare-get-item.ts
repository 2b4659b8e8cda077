/**
 * The baseline HTTP functions are measured against: the least a Lambda can do to answer
 * GET /products/{id}, one GetItem with the document client and no framework.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.CATALOG_TABLE_NAME;

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const tenantId = String(event.requestContext.authorizer?.tenantId);
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: { PK: `T#${tenantId}`, SK: `PRODUCT#${event.pathParameters?.id}` },
    }),
  );
  return Item
    ? { statusCode: 200, body: JSON.stringify(Item) }
    : { statusCode: 404, body: JSON.stringify({ status: 404 }) };
}
