import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbProductRepository } from '../../../functions/catalog/adapters/product-repository.js';
import { DuplicateSkuError } from '../../../functions/catalog/domain/catalog-use-cases.js';
import { createProduct, type Product } from '../../../functions/catalog/domain/product.js';
import { catalogService } from '../../../functions/catalog/service.js';
import { BadRequestError } from '../../../functions/shared/errors.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(catalogService.name);
const repository = dynamoDbProductRepository(tableName);

let tenantId: string;
const context = () => ({ tenantId, correlationId: `corr-${randomUUID()}` });
let sequence = 0;
const product = (overrides: Partial<Product> = {}): Product => {
  sequence += 1;
  return {
    ...createProduct(
      { sku: `SKU-${sequence}`, name: 'Mug', priceCents: 900, currency: 'EUR', stock: 4 },
      `01JPRODUCT${String(sequence).padStart(16, '0')}`,
      new Date('2026-11-24T10:00:00.000Z'),
    ),
    ...overrides,
  };
};

beforeAll(async () => {
  await createServiceTables(client, [catalogService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('dynamoDbProductRepository against DynamoDB Local', () => {
  it('creates a product and its ProductCreated outbox event in one transaction', async () => {
    const created = product();

    await repository.create(context(), created);

    expect(await repository.get(tenantId, created.productId)).toEqual(created);
    const events = await outboxEvents(tableName, tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'OUTBOX',
      source: 'saas.catalog',
      detailType: 'ProductCreated',
      detail: { metadata: { tenantId }, data: created },
    });
  });

  it('rejects a duplicate sku and writes neither the product nor an event', async () => {
    const first = product();
    await repository.create(context(), first);
    const duplicate = product({ sku: first.sku });

    await expect(repository.create(context(), duplicate)).rejects.toBeInstanceOf(DuplicateSkuError);

    expect(await repository.get(tenantId, duplicate.productId)).toBeUndefined();
    expect(await outboxEvents(tableName, tenantId)).toHaveLength(1);
  });

  it('keeps skus unique per tenant only', async () => {
    const first = product();
    await repository.create(context(), first);
    const otherTenant = `t-${randomUUID()}`;

    await repository.create({ tenantId: otherTenant, correlationId: 'c' }, product({ sku: first.sku }));

    expect((await repository.list(otherTenant, { limit: 10 })).items).toHaveLength(1);
  });

  it('replaces only when the stored version is the expected one', async () => {
    const created = product();
    await repository.create(context(), created);
    const next = { ...created, stock: 1, version: 2 };

    const stale = await repository.replace(context(), { ...next, version: 3 }, 5);
    const fresh = await repository.replace(context(), next, 1);

    expect(stale).toBe(false);
    expect(fresh).toBe(true);
    expect(await repository.get(tenantId, created.productId)).toEqual(next);
    expect((await outboxEvents(tableName, tenantId)).map((event) => event.detailType).sort()).toEqual([
      'ProductCreated',
      'ProductUpdated',
    ]);
  });

  it('pages through products in creation order and never returns the sku guards', async () => {
    const products = [product(), product(), product()];
    for (const item of products) await repository.create(context(), item);

    const first = await repository.list(tenantId, { limit: 2 });
    const second = await repository.list(tenantId, {
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });

    expect(first.items).toEqual(products.slice(0, 2));
    expect(second.items).toEqual(products.slice(2));
    expect(second.nextCursor).toBeUndefined();
  });

  it("refuses another tenant's cursor", async () => {
    await repository.create(context(), product());
    await repository.create(context(), product());
    const { nextCursor } = await repository.list(tenantId, { limit: 1 });

    await expect(
      repository.list(`t-${randomUUID()}`, { limit: 1, ...(nextCursor ? { cursor: nextCursor } : {}) }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
