import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { productCreated } from '../../../events/catalog/product-created.js';
import { productUpdated } from '../../../events/catalog/product-updated.js';
import { documentClient, failedConditions, insertPut, queryTenantItems } from '../../shared/dynamodb.js';
import { outboxPut } from '../../shared/outbox.js';
import type { ListOptions, Page, ProductRepository } from '../domain/catalog-port.js';
import { DuplicateSkuError } from '../domain/catalog-use-cases.js';
import type { Product } from '../domain/product.js';
import {
  productEntityType,
  productKey,
  productSortKeyPrefix,
  skuGuardEntityType,
  skuGuardKey,
} from './catalog-keys.js';

type ProductItem = Product & { PK: string; SK: string; entityType: string };

/** Field by field, so responses keep the contract's field order whatever order DynamoDB returns. */
function toProduct(item: Record<string, unknown>): Product {
  // Items of this entity type are only ever written by toItem below.
  const stored = item as unknown as ProductItem;
  return {
    productId: stored.productId,
    sku: stored.sku,
    name: stored.name,
    priceCents: stored.priceCents,
    currency: stored.currency,
    stock: stored.stock,
    version: stored.version,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

function toItem(tenantId: string, product: Product): ProductItem {
  return { ...productKey(tenantId, product.productId), entityType: productEntityType, ...product };
}

export function dynamoDbProductRepository(tableName: string): ProductRepository {
  return {
    async create(context, product) {
      const { tenantId } = context;
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              insertPut(tableName, toItem(tenantId, product)),
              insertPut(tableName, {
                ...skuGuardKey(tenantId, product.sku),
                entityType: skuGuardEntityType,
                productId: product.productId,
              }),
              outboxPut(tableName, productCreated, context, product),
            ],
          }),
        );
      } catch (error) {
        if (failedConditions(error)?.includes(1)) throw new DuplicateSkuError(product.sku);
        throw error;
      }
    },

    async get(tenantId, productId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: productKey(tenantId, productId), ConsistentRead: true }),
      );
      return Item ? toProduct(Item) : undefined;
    },

    async list(tenantId: string, page: ListOptions): Promise<Page<Product>> {
      const { items, ...rest } = await queryTenantItems(tableName, tenantId, productSortKeyPrefix, page);
      return { items: items.map(toProduct), ...rest };
    },

    async replace(context, next, expectedVersion) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: toItem(context.tenantId, next),
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                },
              },
              outboxPut(tableName, productUpdated, context, next),
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
