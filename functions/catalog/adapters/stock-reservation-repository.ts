import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { stockReleased } from '../../../events/catalog/stock-released.js';
import { stockReserved } from '../../../events/catalog/stock-reserved.js';
import { documentClient, failedConditions, insertPut, putIfAbsent } from '../../shared/dynamodb.js';
import { outboxPut } from '../../shared/outbox.js';
import type { StockedProduct, StoredReservation } from '../domain/stock-reservation.js';
import type { StockReservationRepository } from '../domain/stock-reservation-port.js';
import { productKey, reservationEntityType, reservationKey } from './catalog-keys.js';

type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED' | 'VOIDED';

export function dynamoDbStockReservationRepository(tableName: string): StockReservationRepository {
  /** Moves a line's quantity out of (-1) or back into (+1) a product's stock, bumping its version. */
  const stockUpdate = (
    tenantId: string,
    line: { productId: string; quantity: number },
    direction: 1 | -1,
    condition: { expression: string; values: Record<string, unknown> },
  ) => ({
    Update: {
      TableName: tableName,
      Key: productKey(tenantId, line.productId),
      UpdateExpression: `SET stock = stock ${direction > 0 ? '+' : '-'} :quantity, version = version + :one, updatedAt = :now`,
      ConditionExpression: condition.expression,
      ExpressionAttributeValues: {
        ':quantity': line.quantity,
        ':one': 1,
        ':now': new Date().toISOString(),
        ...condition.values,
      },
    },
  });

  return {
    async getReservation(tenantId, orderId) {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: reservationKey(tenantId, orderId),
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      const status = Item.status as ReservationStatus;
      if (status === 'VOIDED') return { result: undefined, released: true };
      const result: StoredReservation['result'] =
        status === 'REJECTED'
          ? { status: 'REJECTED', reason: Item.reason }
          : { status: 'RESERVED', lines: Item.lines, totalCents: Item.totalCents, currency: Item.currency };
      return { result, released: status === 'RELEASED' };
    },

    async getProducts(tenantId, productIds) {
      const products = new Map<string, StockedProduct>();
      let keys: Record<string, unknown>[] | undefined = productIds.map((productId) =>
        productKey(tenantId, productId),
      );
      // BatchGet may hand back unprocessed keys under load; ask again until every key is read.
      while (keys && keys.length > 0) {
        const response: BatchGetCommandOutput = await documentClient.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of response.Responses?.[tableName] ?? []) {
          const { productId, priceCents, currency, stock } = item as StockedProduct;
          products.set(productId, { productId, priceCents, currency, stock });
        }
        keys = response.UnprocessedKeys?.[tableName]?.Keys;
      }
      return products;
    },

    async reserve(context, orderId, result) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              ...result.lines.map((line) =>
                // The price read is the price charged: a product repriced since then is re-read.
                stockUpdate(context.tenantId, line, -1, {
                  expression: 'priceCents = :price AND stock >= :quantity',
                  values: { ':price': line.unitPriceCents },
                }),
              ),
              insertPut(tableName, {
                ...reservationKey(context.tenantId, orderId),
                entityType: reservationEntityType,
                orderId,
                ...result,
              }),
              outboxPut(tableName, stockReserved, context, { orderId, ...withoutStatus(result) }),
            ],
          }),
        );
        return 'reserved';
      } catch (error) {
        if (failedConditions(error)?.includes(result.lines.length)) return 'already-decided';
        if (error instanceof TransactionCanceledException) return 'stock-changed';
        throw error;
      }
    },

    recordRejection(context, orderId, result) {
      return putIfAbsent(tableName, {
        ...reservationKey(context.tenantId, orderId),
        entityType: reservationEntityType,
        orderId,
        ...result,
      });
    },

    recordVoid(tenantId, orderId) {
      return putIfAbsent(tableName, {
        ...reservationKey(tenantId, orderId),
        entityType: reservationEntityType,
        orderId,
        status: 'VOIDED' satisfies ReservationStatus,
      });
    },

    async release(context, orderId, result) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              ...result.lines.map((line) =>
                stockUpdate(context.tenantId, line, 1, { expression: 'attribute_exists(PK)', values: {} }),
              ),
              {
                Update: {
                  TableName: tableName,
                  Key: reservationKey(context.tenantId, orderId),
                  UpdateExpression: 'SET #status = :released',
                  ConditionExpression: '#status = :reserved',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED' },
                },
              },
              outboxPut(tableName, stockReleased, context, { orderId, lines: result.lines }),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(result.lines.length)) return false;
        throw error;
      }
    },
  };
}

function withoutStatus<T extends { status: string }>({ status: _status, ...rest }: T): Omit<T, 'status'> {
  return rest;
}
