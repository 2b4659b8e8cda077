import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/dynamodb.js';
import { orderItemKey, orderPaymentToken } from '../../shared/order-payment-token.js';
import type { PaymentTokens } from '../domain/billing-port.js';

/**
 * Reads a PENDING order's payment token from the orders table: that attribute alone, which is all
 * the payment task's role may read there (see functions/shared/order-payment-token.ts).
 */
export function dynamoDbOrderPaymentTokens(ordersTableName: string | undefined): PaymentTokens {
  return {
    async find(tenantId, orderId) {
      if (!ordersTableName) {
        throw new Error(
          `${orderPaymentToken.tableVariable} is not set: only functions that declare uses: ['orderPaymentTokens'] read payment tokens`,
        );
      }
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: ordersTableName,
          Key: orderItemKey(tenantId, orderId),
          ProjectionExpression: '#token',
          ExpressionAttributeNames: { '#token': orderPaymentToken.attribute },
          ConsistentRead: true,
        }),
      );
      const token = Item?.[orderPaymentToken.attribute];
      return typeof token === 'string' ? token : undefined;
    },
  };
}
