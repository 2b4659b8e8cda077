import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { orderItemKey, orderPaymentToken } from '../../functions/shared/order-payment-token.js';
import { sandboxTableName } from '../../sandbox/tables.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** The orders table of DynamoDB Local, where billing's payment task reads tokens. */
export const ordersTableName = sandboxTableName(orderPaymentToken.ownerService);

/**
 * A PENDING order's item as billing sees it: its key and its payment token (`undefined` for an
 * order already settled, whose item no longer has one).
 */
export async function putPendingOrder(
  tenantId: string,
  orderId: string,
  paymentToken?: string,
): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: ordersTableName,
      Item: {
        ...orderItemKey(tenantId, orderId),
        ...(paymentToken === undefined ? {} : { [orderPaymentToken.attribute]: paymentToken }),
      },
    }),
  );
}
