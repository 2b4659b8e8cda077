import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { orderCancelled } from '../../../events/orders/order-cancelled.js';
import { orderConfirmed } from '../../../events/orders/order-confirmed.js';
import { orderPlaced } from '../../../events/orders/order-placed.js';
import {
  cancellationCodes,
  decodeCursor,
  documentClient,
  encodeCursor,
  failedConditions,
  type ItemKey,
  insertPut,
  isConditionFailure,
} from '../../shared/dynamodb.js';
import { BadRequestError } from '../../shared/errors.js';
import { epochSeconds, RequestInProgressError } from '../../shared/idempotency.js';
import { orderPaymentToken } from '../../shared/order-payment-token.js';
import { type OutboxItem, outboxItem, outboxPut, type WriteContext } from '../../shared/outbox.js';
import type { IdempotencyRecord } from '../domain/idempotency.js';
import type { Order, SettledOrder } from '../domain/order.js';
import type { DueOrder, OrderListOptions, OrderRepository, Page } from '../domain/orders-port.js';
import {
  idempotencyEntityType,
  idempotencyKey,
  orderEntityType,
  orderKey,
  orderSortKeyPrefix,
  pendingOrdersIndex,
  pendingOrdersIndexKey,
  pendingOrdersPartition,
  pendingShards,
  tableKeyAttributes,
  tenantPartition,
  userOrdersIndex,
  userOrdersIndexKey,
  userOrdersKeyAttributes,
  userOrdersPartition,
} from './orders-keys.js';

/**
 * A filtered list reads at most this many pages of `limit` items to fill one page of results, so
 * a rare status costs a bounded read and answers with a cursor instead of reading the partition.
 */
export const maxQueriesPerPage = 5;

/** Field by field, so responses keep the contract's field order and never carry keys or internal attributes. */
function toOrder(item: Record<string, unknown>): Order {
  // Items of this entity type are only ever written by orderItem below.
  const stored = item as unknown as Order;
  return {
    orderId: stored.orderId,
    userId: stored.userId,
    status: stored.status,
    ...(stored.statusReason === undefined ? {} : { statusReason: stored.statusReason }),
    items: stored.items.map(({ productId, quantity, unitPriceCents }) => ({
      productId,
      quantity,
      ...(unitPriceCents === undefined ? {} : { unitPriceCents }),
    })),
    ...(stored.totalCents === undefined ? {} : { totalCents: stored.totalCents }),
    ...(stored.currency === undefined ? {} : { currency: stored.currency }),
    ...(stored.invoiceId === undefined ? {} : { invoiceId: stored.invoiceId }),
    ...(stored.claimedBy === undefined ? {} : { claimedBy: stored.claimedBy }),
    ...(stored.status === 'PENDING' ? { settleBy: stored.settleBy } : {}),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  } as Order;
}

/**
 * A PENDING order also carries the sweeper's index keys and what a sweep needs (its tenant and
 * correlation id), and `place` adds its payment token; the Put that settles it replaces the item
 * without them, leaving the index and dropping the token.
 */
function orderItem(tenantId: string, order: Order, correlationId?: string) {
  return {
    ...orderKey(tenantId, order.orderId),
    ...userOrdersIndexKey(tenantId, order.userId, order.orderId),
    ...(order.status === 'PENDING'
      ? { ...pendingOrdersIndexKey(order.orderId, order.settleBy), tenantId, correlationId }
      : {}),
    entityType: orderEntityType,
    ...order,
  };
}

function toIdempotencyRecord(item: Record<string, unknown>): IdempotencyRecord {
  const stored = item as unknown as IdempotencyRecord;
  return {
    userId: stored.userId,
    key: stored.key,
    fingerprint: stored.fingerprint,
    orderId: stored.orderId,
    statusCode: stored.statusCode,
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt,
  };
}

/** The event a settled order publishes, stamped with the time it was settled. */
function settlementEvent(origin: WriteContext, order: SettledOrder): OutboxItem {
  const at = new Date(order.updatedAt);
  if (order.status === 'CONFIRMED') {
    return outboxItem(
      orderConfirmed,
      origin,
      {
        orderId: order.orderId,
        userId: order.userId,
        items: order.items.map(({ productId, quantity, unitPriceCents }) => ({
          productId,
          quantity,
          unitPriceCents,
        })),
        totalCents: order.totalCents,
        currency: order.currency,
        invoiceId: order.invoiceId,
        confirmedAt: order.updatedAt,
      },
      at,
    );
  }
  return outboxItem(
    orderCancelled,
    origin,
    {
      orderId: order.orderId,
      userId: order.userId,
      reason: order.statusReason,
      cancelledAt: order.updatedAt,
    },
    at,
  );
}

function invalidCursor(): BadRequestError {
  return new BadRequestError('The cursor is not valid for this request.', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
}

interface ListTarget {
  indexName?: string;
  partitionAttribute: string;
  sortAttribute: string;
  partition: string;
  keyAttributes: readonly string[];
}

function listTarget(tenantId: string, userId: string | undefined): ListTarget {
  if (userId === undefined) {
    return {
      partitionAttribute: 'PK',
      sortAttribute: 'SK',
      partition: tenantPartition(tenantId),
      keyAttributes: tableKeyAttributes,
    };
  }
  return {
    indexName: userOrdersIndex,
    partitionAttribute: 'GSI1PK',
    sortAttribute: 'GSI1SK',
    partition: userOrdersPartition(tenantId, userId),
    keyAttributes: userOrdersKeyAttributes,
  };
}

/**
 * The shared check binds the cursor to the tenant and the queried partition; this one also
 * insists on exactly the keys this query pages by, inside the order range, so a cursor from the
 * other list (or a forged one) is a 400 instead of a DynamoDB validation error.
 */
function startKey(tenantId: string, cursor: string | undefined, target: ListTarget): ItemKey | undefined {
  const key = decodeCursor(tenantId, cursor, {
    keyAttribute: target.partitionAttribute,
    value: target.partition,
    keyAttributes: target.keyAttributes,
  });
  if (!key) return undefined;
  const valid =
    key.PK === tenantPartition(tenantId) &&
    String(key.SK).startsWith(orderSortKeyPrefix) &&
    String(key[target.sortAttribute]).startsWith(orderSortKeyPrefix);
  if (!valid) throw invalidCursor();
  return key;
}

const pick = (item: Record<string, unknown>, attributes: readonly string[]): ItemKey =>
  Object.fromEntries(attributes.map((attribute) => [attribute, item[attribute]]));

export function dynamoDbOrderRepository(tableName: string): OrderRepository {
  async function getIdempotencyRecord(key: ItemKey): Promise<IdempotencyRecord | undefined> {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? toIdempotencyRecord(Item) : undefined;
  }

  return {
    async place(context, { order, paymentToken, idempotency }) {
      const { tenantId } = context;
      const orderPut = insertPut(tableName, {
        ...orderItem(tenantId, order, context.correlationId),
        [orderPaymentToken.attribute]: paymentToken,
      });
      const eventPut = outboxPut(
        tableName,
        orderPlaced,
        context,
        {
          orderId: order.orderId,
          userId: order.userId,
          items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
          createdAt: order.createdAt,
        },
        new Date(order.createdAt),
      );
      if (!idempotency) {
        await documentClient.send(new TransactWriteCommand({ TransactItems: [orderPut, eventPut] }));
        return { placed: true };
      }

      const recordKey = idempotencyKey(tenantId, idempotency.userId, idempotency.key);
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              orderPut,
              {
                Put: {
                  TableName: tableName,
                  Item: { ...recordKey, entityType: idempotencyEntityType, ...idempotency },
                  // TTL deletes lazily: a record past its expiry no longer holds the key.
                  ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
                  ExpressionAttributeValues: { ':now': epochSeconds(idempotency.createdAt) },
                },
              },
              eventPut,
            ],
          }),
        );
        return { placed: true };
      } catch (error) {
        const codes = cancellationCodes(error);
        // DynamoDB cancels a transaction that touches an item another transaction is writing:
        // here, the record of a concurrent request with the same key (the order and event are new).
        if (codes?.includes('TransactionConflict')) throw new RequestInProgressError();
        if (codes?.[1] !== 'ConditionalCheckFailed') throw error;
        const keyInUse = await getIdempotencyRecord(recordKey);
        // Gone between the write and the read (it expired): the client's retry will succeed.
        if (!keyInUse) throw new RequestInProgressError();
        return { placed: false, keyInUse };
      }
    },

    async get(tenantId, orderId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: orderKey(tenantId, orderId), ConsistentRead: true }),
      );
      return Item ? toOrder(Item) : undefined;
    },

    async list(tenantId: string, { limit, cursor, status, userId }: OrderListOptions): Promise<Page<Order>> {
      const target = listTarget(tenantId, userId);
      const page = (items: Order[], lastKey: ItemKey | undefined): Page<Order> => {
        const nextCursor = encodeCursor(tenantId, lastKey);
        return { items, ...(nextCursor ? { nextCursor } : {}) };
      };
      const items: Order[] = [];
      let lastKept: Record<string, unknown> | undefined;
      let exclusiveStartKey = startKey(tenantId, cursor, target);
      for (let query = 0; query < maxQueriesPerPage; query += 1) {
        const { Items = [], LastEvaluatedKey } = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            ...(target.indexName ? { IndexName: target.indexName } : {}),
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ...(status ? { FilterExpression: '#status = :status' } : {}),
            ExpressionAttributeNames: {
              '#pk': target.partitionAttribute,
              '#sk': target.sortAttribute,
              ...(status ? { '#status': 'status' } : {}),
            },
            ExpressionAttributeValues: {
              ':pk': target.partition,
              ':prefix': orderSortKeyPrefix,
              ...(status ? { ':status': status } : {}),
            },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        );
        for (const item of Items) {
          // A full page with more matches behind it: the next page starts after the last one kept.
          if (items.length === limit && lastKept) return page(items, pick(lastKept, target.keyAttributes));
          items.push(toOrder(item));
          lastKept = item;
        }
        exclusiveStartKey = LastEvaluatedKey;
        if (!exclusiveStartKey || items.length === limit) break;
      }
      // Either the partition is exhausted (no key), the page is full, or the read budget is spent.
      return page(items, exclusiveStartKey);
    },

    async claim(tenantId, orderId, executionId) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: orderKey(tenantId, orderId),
            UpdateExpression: 'SET claimedBy = :execution',
            // The same rule as canClaim in the domain, evaluated atomically by DynamoDB.
            ConditionExpression:
              'attribute_exists(PK) AND #status = :pending AND (attribute_not_exists(claimedBy) OR claimedBy = :execution)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'PENDING', ':execution': executionId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return error.Item ? 'taken' : 'not-found';
      }
    },

    async takeOver(tenantId, orderId, executionId, { now, nextSettleBy }) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: orderKey(tenantId, orderId),
            UpdateExpression: 'SET claimedBy = :execution, settleBy = :next, GSI2SK = :next',
            // The same rule as canTakeOver in the domain, evaluated atomically by DynamoDB.
            ConditionExpression:
              'attribute_exists(PK) AND #status = :pending AND (settleBy <= :now OR claimedBy = :execution)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pending': 'PENDING',
              ':execution': executionId,
              ':now': now.toISOString(),
              ':next': nextSettleBy,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return error.Item ? 'taken' : 'not-found';
      }
    },

    async listDue(now, limit) {
      const due: DueOrder[] = [];
      for (let shard = 0; shard < pendingShards && due.length < limit; shard += 1) {
        const { Items = [] } = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: pendingOrdersIndex,
            KeyConditionExpression: 'GSI2PK = :shard AND GSI2SK <= :now',
            ExpressionAttributeValues: { ':shard': pendingOrdersPartition(shard), ':now': now.toISOString() },
            Limit: limit - due.length,
          }),
        );
        for (const item of Items) {
          due.push({
            tenantId: String(item.tenantId),
            orderId: String(item.orderId),
            correlationId: String(item.correlationId),
          });
        }
      }
      return due;
    },

    async settle(context, order) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: orderItem(context.tenantId, order),
                  ConditionExpression: '#status = :pending AND claimedBy = :execution',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':pending': 'PENDING', ':execution': order.claimedBy },
                },
              },
              { Put: { TableName: tableName, Item: settlementEvent(context, order) } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },
  };
}
