import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  installTablePermissionCheck,
  invokedAs,
  requestedActions,
} from '../../../sandbox/table-permissions.js';

// Nothing listens there: a request the check lets through fails to connect instead.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  }),
);
installTablePermissionCheck(client);
installTablePermissionCheck(client);

const reader = {
  name: 'functions/catalog/handlers/get-product.ts',
  table: 'sandbox-catalog',
  actions: ['GetItem'] as const,
};
const key = { PK: 'T#t1', SK: 'PRODUCT#p1' };

describe('the sandbox table permission check', () => {
  it('refuses an action the function did not declare on its table, before DynamoDB sees it', async () => {
    const put = invokedAs(reader, () =>
      client.send(new PutCommand({ TableName: 'sandbox-catalog', Item: key })),
    );

    await expect(put).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: dynamodb:PutItem'),
    });
  });

  it('checks each item of a transaction as its own action, as IAM does', async () => {
    const transaction = invokedAs({ ...reader, actions: ['GetItem', 'PutItem'] }, () =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'sandbox-catalog', Item: key } },
            {
              Update: {
                TableName: 'sandbox-catalog',
                Key: key,
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': 1 },
              },
            },
          ],
        }),
      ),
    );

    await expect(transaction).rejects.toMatchObject({
      message: expect.stringContaining('dynamodb:UpdateItem'),
    });
  });

  it('lets a declared action through, and requests outside any function or to other tables', async () => {
    const notDenied = (request: Promise<unknown>) =>
      request.then(
        () => 'sent',
        (error: { name?: string }) => (error.name === 'AccessDeniedException' ? 'denied' : 'sent'),
      );

    expect(
      await notDenied(
        invokedAs(reader, () => client.send(new GetCommand({ TableName: 'sandbox-catalog', Key: key }))),
      ),
    ).toBe('sent');
    expect(await notDenied(client.send(new PutCommand({ TableName: 'sandbox-catalog', Item: key })))).toBe(
      'sent',
    );
    expect(
      await notDenied(
        invokedAs(reader, () => client.send(new PutCommand({ TableName: 'sandbox-rate-limits', Item: key }))),
      ),
    ).toBe('sent');
  });

  it('names the actions of batch and single requests by their IAM names', () => {
    expect(requestedActions('BatchGetItemCommand', { RequestItems: { a: {}, b: {} } })).toEqual([
      { action: 'BatchGetItem', table: 'a' },
      { action: 'BatchGetItem', table: 'b' },
    ]);
    expect(requestedActions('ScanCommand', { TableName: 'a' })).toEqual([{ action: 'Scan', table: 'a' }]);
  });
});
