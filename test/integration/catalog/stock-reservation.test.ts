import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbProductRepository } from '../../../functions/catalog/adapters/product-repository.js';
import { dynamoDbStockReservationRepository } from '../../../functions/catalog/adapters/stock-reservation-repository.js';
import { createProduct } from '../../../functions/catalog/domain/product.js';
import { stockReservationUseCases } from '../../../functions/catalog/domain/stock-reservation-use-cases.js';
import { catalogService } from '../../../functions/catalog/service.js';
import { createServiceTables, sandboxTableName } from '../../../sandbox/tables.js';
import { outboxEvents } from '../../support/outbox-events.js';

const client = new DynamoDBClient({});
const tableName = sandboxTableName(catalogService.name);
const products = dynamoDbProductRepository(tableName);
const reservations = stockReservationUseCases({
  repository: dynamoDbStockReservationRepository(tableName),
  pause: (attempt) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt)),
});

let tenantId: string;

async function seed(stock: number, priceCents = 400, currency = 'EUR'): Promise<string> {
  const product = createProduct(
    { sku: `S-${randomUUID()}`, name: 'Lamp', priceCents, currency, stock },
    randomUUID(),
    new Date(),
  );
  await products.create({ tenantId, correlationId: 'seed' }, product);
  return product.productId;
}

const stockOf = async (productId: string) => (await products.get(tenantId, productId))?.stock;

const step = (orderId: string) => ({ tenantId, orderId, correlationId: `c-${orderId}` });

const events = (detailType: string) => outboxEvents(tableName, tenantId, detailType);

beforeAll(async () => {
  await createServiceTables(client, [catalogService]);
});

beforeEach(() => {
  tenantId = `t-${randomUUID()}`;
});

afterAll(() => client.destroy());

describe('stock reservation against DynamoDB Local', () => {
  it('takes the stock, prices the lines and writes StockReserved', async () => {
    const productId = await seed(5, 400);

    const result = await reservations.reserveStock({ ...step('o1'), items: [{ productId, quantity: 2 }] });

    expect(result).toEqual({
      status: 'RESERVED',
      lines: [{ productId, quantity: 2, unitPriceCents: 400 }],
      totalCents: 800,
      currency: 'EUR',
    });
    expect(await stockOf(productId)).toBe(3);
    expect(await events('StockReserved')).toHaveLength(1);
  });

  it('answers a retried reservation with the first result and takes the stock once', async () => {
    const productId = await seed(5);
    const input = { ...step('o1'), items: [{ productId, quantity: 2 }] };

    const first = await reservations.reserveStock(input);
    const second = await reservations.reserveStock(input);

    expect(second).toEqual(first);
    expect(await stockOf(productId)).toBe(3);
    expect(await events('StockReserved')).toHaveLength(1);
  });

  it('reserves no line when a later line is short', async () => {
    const plenty = await seed(10);
    const scarce = await seed(1);

    const result = await reservations.reserveStock({
      ...step('o1'),
      items: [
        { productId: plenty, quantity: 4 },
        { productId: scarce, quantity: 2 },
      ],
    });

    expect(result).toEqual({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([10, 1]);
  });

  it('records a rejection so a retry gets the same answer even after a restock', async () => {
    const productId = await seed(1);
    const input = { ...step('o1'), items: [{ productId, quantity: 2 }] };
    await reservations.reserveStock(input);
    const product = await products.get(tenantId, productId);
    if (!product) throw new Error('seeded product missing');
    await products.replace(
      { tenantId, correlationId: 'restock' },
      { ...product, stock: 10, version: product.version + 1 },
      product.version,
    );

    const retried = await reservations.reserveStock(input);

    expect(retried).toEqual({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
    expect(await stockOf(productId)).toBe(10);
  });

  it.each([
    ['PRODUCT_NOT_FOUND', async () => [{ productId: 'missing', quantity: 1 }]],
    [
      'CURRENCY_MISMATCH',
      async () => [
        { productId: await seed(5, 100, 'EUR'), quantity: 1 },
        { productId: await seed(5, 100, 'USD'), quantity: 1 },
      ],
    ],
  ])('rejects with %s and writes no event', async (reason, items) => {
    const result = await reservations.reserveStock({ ...step('o1'), items: await items() });

    expect(result).toEqual({ status: 'REJECTED', reason });
    expect(await events('StockReserved')).toEqual([]);
  });

  it('gives the stock back once, however often release is called', async () => {
    const productId = await seed(5);
    await reservations.reserveStock({ ...step('o1'), items: [{ productId, quantity: 2 }] });

    const first = await reservations.releaseStock(step('o1'));
    const second = await reservations.releaseStock(step('o1'));

    expect([first, second]).toEqual([{ released: true }, { released: true }]);
    expect(await stockOf(productId)).toBe(5);
    expect(await events('StockReleased')).toHaveLength(1);
  });

  it('releases nothing for an order without a reservation or with a rejected one', async () => {
    const productId = await seed(0);
    await reservations.reserveStock({ ...step('o2'), items: [{ productId, quantity: 1 }] });

    expect(await reservations.releaseStock(step('o1'))).toEqual({ released: false });
    expect(await reservations.releaseStock(step('o2'))).toEqual({ released: false });
  });

  it('refuses a reservation that arrives after its own release, and takes no stock', async () => {
    const productId = await seed(5);

    expect(await reservations.releaseStock(step('late'))).toEqual({ released: false });
    await expect(
      reservations.reserveStock({ ...step('late'), items: [{ productId, quantity: 2 }] }),
    ).rejects.toMatchObject({ name: 'ReservationVoidedError' });

    expect(await stockOf(productId)).toBe(5);
    expect(await reservations.releaseStock(step('late'))).toEqual({ released: false });
    expect(await events('StockReserved')).toEqual([]);
  });

  it('refuses to reserve again once the reservation was released', async () => {
    const productId = await seed(5);
    await reservations.reserveStock({ ...step('o1'), items: [{ productId, quantity: 2 }] });
    await reservations.releaseStock(step('o1'));

    await expect(
      reservations.reserveStock({ ...step('o1'), items: [{ productId, quantity: 2 }] }),
    ).rejects.toMatchObject({ name: 'ReservationVoidedError' });
    expect(await stockOf(productId)).toBe(5);
  });

  it('takes no stock at a price the product no longer has (repriced after it was read)', async () => {
    const productId = await seed(5, 400);
    const repository = dynamoDbStockReservationRepository(tableName);

    const outcome = await repository.reserve({ tenantId, correlationId: 'c' }, 'o-stale', {
      status: 'RESERVED',
      lines: [{ productId, quantity: 1, unitPriceCents: 350 }],
      totalCents: 350,
      currency: 'EUR',
    });

    expect(outcome).toBe('stock-changed');
    expect(await stockOf(productId)).toBe(5);
    expect(await repository.getReservation(tenantId, 'o-stale')).toBeUndefined();
  });

  it('reserves exactly 3 of 6 concurrent single units against a stock of 3', async () => {
    const productId = await seed(3);

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        reservations.reserveStock({ ...step(`o${index}`), items: [{ productId, quantity: 1 }] }),
      ),
    );

    expect(results.filter((result) => result.status === 'RESERVED')).toHaveLength(3);
    expect(results.filter((result) => result.status === 'REJECTED')).toHaveLength(3);
    expect(await stockOf(productId)).toBe(0);
  });
});
