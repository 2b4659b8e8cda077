import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  decodeCursor,
  documentClient,
  encodeCursor,
  failedConditions,
  insertPut,
  isConditionFailure,
} from '../../shared/dynamodb.js';
import { tenantPartition } from '../../shared/tenant-keys.js';
import { type OrderView, orderViewStatuses } from '../domain/order-view.js';
import type { ReportingRepository } from '../domain/reporting-port.js';
import type { ConfirmedSale, SalesDay } from '../domain/sales.js';
import {
  orderViewEntityType,
  orderViewKey,
  orderViewSortKeyPrefix,
  productViewEntityType,
  productViewKey,
  salesDayEntityType,
  salesDayKey,
  salesRange,
  userOrderIndexKeys,
  userOrdersPartition,
} from './reporting-keys.js';

const orderViewSchema = z.object({
  orderId: z.string(),
  userId: z.optional(z.string()),
  status: z.enum(orderViewStatuses),
  statusReason: z.optional(z.string()),
  totalCents: z.optional(z.number()),
  currency: z.optional(z.string()),
  createdAt: z.optional(z.string()),
  updatedAt: z.string(),
  items: z.array(
    z.object({ productId: z.string(), quantity: z.number(), unitPriceCents: z.optional(z.number()) }),
  ),
  invoice: z.optional(
    z.object({
      invoiceId: z.string(),
      amountCents: z.number(),
      currency: z.string(),
      status: z.enum(['PAID', 'REFUNDED']),
    }),
  ),
  history: z.array(
    z.object({ status: z.enum(orderViewStatuses), reason: z.optional(z.string()), at: z.string() }),
  ),
  appliedEventIds: z.array(z.string()),
});

const storedViewItem = z.object({ revision: z.number(), view: orderViewSchema });

const productViewItem = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  version: z.number(),
});

/** BatchGetItem's limit per request. */
const maxBatchKeys = 100;

const salesDayItem = z.object({
  date: z.string(),
  currency: z.string(),
  orders: z.number(),
  revenueCents: z.number(),
});

export function dynamoDbReportingRepository(tableName: string): ReportingRepository {
  /** Adds one order and its revenue to the sale's day and currency. */
  const salesDayIncrement = (tenantId: string, sale: ConfirmedSale) => ({
    TableName: tableName,
    Key: salesDayKey(tenantId, sale.date, sale.currency),
    UpdateExpression:
      'SET entityType = :type, #date = :date, currency = :currency ADD orders :one, revenueCents :cents',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: {
      ':type': salesDayEntityType,
      ':date': sale.date,
      ':currency': sale.currency,
      ':one': 1,
      ':cents': sale.revenueCents,
    },
  });

  return {
    async getOrderView(tenantId, orderId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: orderViewKey(tenantId, orderId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { revision, view } = storedViewItem.parse(Item);
      return { revision, view: view as OrderView };
    },

    async putOrderView(tenantId, view, expectedRevision, sale) {
      const item = {
        ...orderViewKey(tenantId, view.orderId),
        ...(view.userId ? userOrderIndexKeys(tenantId, view.userId, view.orderId) : {}),
        entityType: orderViewEntityType,
        revision: (expectedRevision ?? 0) + 1,
        view,
      };
      const viewPut =
        expectedRevision === undefined
          ? insertPut(tableName, item).Put
          : {
              TableName: tableName,
              Item: item,
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': expectedRevision },
            };
      try {
        if (sale) {
          await documentClient.send(
            new TransactWriteCommand({
              TransactItems: [{ Put: viewPut }, { Update: salesDayIncrement(tenantId, sale) }],
            }),
          );
        } else {
          await documentClient.send(new PutCommand(viewPut));
        }
        return true;
      } catch (error) {
        if (isConditionFailure(error) || failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },

    async listOrderViews(tenantId, { userId, status, limit, cursor }) {
      const byUser = userId !== undefined;
      const partition = byUser ? userOrdersPartition(tenantId, userId) : tenantPartition(tenantId);
      const keyAttribute = byUser ? 'GSI1PK' : 'PK';
      const sortAttribute = byUser ? 'GSI1SK' : 'SK';
      const { Items = [], LastEvaluatedKey } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          ...(byUser ? { IndexName: 'GSI1' } : {}),
          KeyConditionExpression: `${keyAttribute} = :pk AND begins_with(${sortAttribute}, :prefix)`,
          ...(status ? { FilterExpression: '#view.#status = :status' } : {}),
          ExpressionAttributeNames: status ? { '#view': 'view', '#status': 'status' } : undefined,
          ExpressionAttributeValues: {
            ':pk': partition,
            ':prefix': orderViewSortKeyPrefix,
            ...(status ? { ':status': status } : {}),
          },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: decodeCursor(tenantId, cursor, {
            keyAttribute,
            value: partition,
            keyAttributes: byUser ? ['PK', 'SK', 'GSI1PK', 'GSI1SK'] : ['PK', 'SK'],
          }),
        }),
      );
      const nextCursor = encodeCursor(tenantId, LastEvaluatedKey);
      return {
        items: Items.map((item) => storedViewItem.parse(item).view as OrderView),
        ...(nextCursor ? { nextCursor } : {}),
      };
    },

    async putProductView(tenantId, product) {
      try {
        await documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...productViewKey(tenantId, product.productId),
              entityType: productViewEntityType,
              ...product,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR version < :version',
            ExpressionAttributeValues: { ':version': product.version },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async getProductViews(tenantId, productIds) {
      const unique = [...new Set(productIds)];
      const products = [];
      for (let start = 0; start < unique.length; start += maxBatchKeys) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(start, start + maxBatchKeys)
          .map((productId) => productViewKey(tenantId, productId));
        // Unprocessed keys (throttling) are read again until none is left.
        while (keys && keys.length > 0) {
          const response: BatchGetCommandOutput = await documentClient.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
          const { Responses, UnprocessedKeys } = response;
          products.push(...(Responses?.[tableName] ?? []).map((item) => productViewItem.parse(item)));
          keys = UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return products;
    },

    async salesBetween(tenantId, from, to) {
      const { start, end } = salesRange(from, to);
      const days: SalesDay[] = [];
      let exclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const { Items = [], LastEvaluatedKey } = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :start AND :end',
            ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':start': start, ':end': end },
            ExclusiveStartKey: exclusiveStartKey,
          }),
        );
        days.push(...Items.map((item) => salesDayItem.parse(item)));
        exclusiveStartKey = LastEvaluatedKey;
      } while (exclusiveStartKey);
      return days;
    },
  };
}
