/**
 * Where a payment token waits for its charge. A token never travels in an event, a saga input, a
 * log line or a trace: the orders service deposits it in billing's table under a fresh payment
 * reference, in the transaction that writes the order, and OrderPlaced carries the reference only.
 * ChargePayment reads the token by its reference and deletes it once the charge is recorded; a
 * deposit nobody charges expires (TTL, and a reader ignores an expired deposit).
 *
 * Billing owns the data; the depositor's role may put vault keys only (an IAM condition on
 * `dynamodb:LeadingKeys` matches `depositorKeyPattern`) and read nothing. Billing's reader is
 * functions/billing/adapters/payment-token-vault.ts. No SDK client here: the sandbox and the CDK
 * app import these names before any handler's configuration is in place.
 */
import { tenantPartition } from './tenant-keys.js';

export const paymentVault = {
  ownerService: 'billing',
  /** Names the owner's table in the depositing function (`uses: ['paymentVault']`). */
  tableVariable: 'PAYMENT_VAULT_TABLE_NAME',
  /** Each deposit has a partition of its own; the depositor's IAM condition matches this. */
  depositorKeyPattern: 'T#*#PAYMENT-TOKEN#*',
  /**
   * How long a deposit outlives its order's settlement deadline. After the deadline the sweeper
   * settles the order without charging, so nothing reads the token again.
   */
  graceSeconds: 3600,
} as const;

export const paymentVaultKey = (tenantId: string, paymentReference: string) => ({
  PK: `${tenantPartition(tenantId)}#PAYMENT-TOKEN#${paymentReference}`,
  SK: 'PAYMENT-TOKEN',
});

export interface PaymentTokenDeposit {
  tenantId: string;
  paymentReference: string;
  paymentToken: string;
  /** Epoch seconds (the table's TTL attribute). */
  expiresAt: number;
}

/** The deposit as a transaction item: it never replaces another deposit. */
export function paymentTokenDepositPut(tableName: string, deposit: PaymentTokenDeposit) {
  const { tenantId, paymentReference, paymentToken, expiresAt } = deposit;
  return {
    Put: {
      TableName: tableName,
      Item: { ...paymentVaultKey(tenantId, paymentReference), paymentToken, expiresAt },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
