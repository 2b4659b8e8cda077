import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/dynamodb.js';
import { paymentVaultKey } from '../../shared/payment-vault.js';
import type { PaymentTokenVault } from '../domain/billing-port.js';

/** Billing's side of the payment vault, in its own table (see functions/shared/payment-vault.ts). */
export function dynamoDbPaymentTokenVault(tableName: string): PaymentTokenVault {
  return {
    async find(tenantId, paymentReference, now) {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: paymentVaultKey(tenantId, paymentReference),
          ConsistentRead: true,
        }),
      );
      if (!Item || Number(Item.expiresAt) <= now.getTime() / 1000) return undefined;
      return String(Item.paymentToken);
    },
    async forget(tenantId, paymentReference) {
      await documentClient.send(
        new DeleteCommand({ TableName: tableName, Key: paymentVaultKey(tenantId, paymentReference) }),
      );
    },
  };
}
