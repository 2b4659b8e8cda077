import { catalogUseCases, DuplicateSkuError } from '../../../functions/catalog/domain/catalog-use-cases.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../functions/shared/errors.js';
import { InMemoryProductRepository } from '../../fixtures/in-memory-product-repository.js';

const context = { tenantId: 't1', correlationId: 'c1' };
const input = { sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR', stock: 4 };

function setUp() {
  const repository = new InMemoryProductRepository();
  let sequence = 0;
  const catalog = catalogUseCases({
    repository,
    newId: () => {
      sequence += 1;
      return `p${sequence}`;
    },
    now: () => new Date('2026-11-24T10:00:00.000Z'),
  });
  return { repository, catalog };
}

describe('catalog use cases', () => {
  it('creates a product and records ProductCreated', async () => {
    const { repository, catalog } = setUp();

    const product = await catalog.createProduct(context, input);

    expect(await catalog.getProduct('t1', product.productId)).toEqual(product);
    expect(repository.events.map((event) => event.type)).toEqual(['ProductCreated']);
  });

  it('refuses a duplicate sku in the tenant', async () => {
    const { catalog } = setUp();
    await catalog.createProduct(context, input);

    await expect(catalog.createProduct(context, { ...input, name: 'Other' })).rejects.toBeInstanceOf(
      DuplicateSkuError,
    );
  });

  it("answers not found for another tenant's product", async () => {
    const { catalog } = setUp();
    const product = await catalog.createProduct(context, input);

    await expect(catalog.getProduct('t2', product.productId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('updates when If-Match names the current version', async () => {
    const { catalog } = setUp();
    const product = await catalog.createProduct(context, input);

    const updated = await catalog.updateProduct(context, product.productId, { stock: 1 }, 1);

    expect(updated).toMatchObject({ stock: 1, version: 2 });
  });

  it('refuses a stale If-Match and changes nothing', async () => {
    const { repository, catalog } = setUp();
    const product = await catalog.createProduct(context, input);

    await expect(catalog.updateProduct(context, product.productId, { stock: 1 }, 7)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(await catalog.getProduct('t1', product.productId)).toEqual(product);
    expect(repository.events).toHaveLength(1);
  });

  it('refuses If-Match when the product changes between read and write', async () => {
    const { repository, catalog } = setUp();
    const product = await catalog.createProduct(context, input);
    repository.concurrentWritesBeforeReplace = 1;

    await expect(catalog.updateProduct(context, product.productId, { stock: 1 }, 1)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
  });

  it('retries a concurrent change when no If-Match is given', async () => {
    const { repository, catalog } = setUp();
    const product = await catalog.createProduct(context, input);
    repository.concurrentWritesBeforeReplace = 2;

    const updated = await catalog.updateProduct(context, product.productId, { name: 'Big mug' });

    expect(updated).toMatchObject({ name: 'Big mug', version: 4 });
  });

  it('gives up with 409 after repeated concurrent changes', async () => {
    const { repository, catalog } = setUp();
    const product = await catalog.createProduct(context, input);
    repository.concurrentWritesBeforeReplace = 3;

    await expect(
      catalog.updateProduct(context, product.productId, { name: 'Big mug' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers not found when updating an unknown product', async () => {
    const { catalog } = setUp();

    await expect(catalog.updateProduct(context, 'nope', { stock: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });
});
